"""The demo scenarios of docs/API.md, driven through a client generated from the live OpenAPI document.

GeneratedClientIT generates the package (openapi-python-client) into a folder on PYTHONPATH and runs
this script. Every call uses raise_on_unexpected_status=True: an answer with a status the document
does not declare raises, so a change that breaks the published contract breaks the build.
Prints one line per scenario and a closing "N passed, M failed".
"""

import os
import sys
import traceback

import httpx

from order_fulfillment_api_client import AuthenticatedClient, Client
from order_fulfillment_api_client.api.catalog import get_product, list_products, put_product
from order_fulfillment_api_client.api.customers import get_customer, list_customers
from order_fulfillment_api_client.api.orders import cancel_order, get_order, list_orders, submit_order
from order_fulfillment_api_client.models import (
    OrderItemRequest,
    ShippingAddressRequest,
    SubmitOrderRequest,
)

API = os.environ["API_URL"]
TOKEN_URL = os.environ["TOKEN_URL"]


def token(client_id):
    """A token as docs/API.md says a client gets one: HTTP Basic, grant_type=client_credentials."""
    response = httpx.post(TOKEN_URL, auth=(client_id, client_id + "-secret"),
                          data={"grant_type": "client_credentials"}, timeout=10)
    response.raise_for_status()
    return response.json()["access_token"]


def client(client_id):
    return AuthenticatedClient(base_url=API, token=token(client_id), raise_on_unexpected_status=True,
                               timeout=httpx.Timeout(60.0))


def address(country="US"):
    return ShippingAddressRequest(name="Ada Lovelace", line1="1 Main St", city="Springfield",
                                  postal_code="12345", country=country)


def order(customer, sku, quantity, country="US"):
    return SubmitOrderRequest(customer_id=customer, items=[OrderItemRequest(sku=sku, quantity=quantity)],
                              shipping_address=address(country))


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def status(response):
    return int(response.status_code)


def place_and_wait(api, body, key=None):
    headers = {"idempotency_key": key} if key else {}  # an optional header is left out, not sent empty
    response = submit_order.sync_detailed(client=api, body=body, prefer="wait=30", **headers)
    expect(status(response) == 200, f"submitOrder answered {status(response)}: {response.content!r}")
    return response.parsed


def completed(ctx):
    placed = place_and_wait(ctx["user_1"], order("user_1", "product_1", 2))
    expect(placed.status.value == "COMPLETED", f"status {placed.status}")
    expect(str(placed.total) in ("100.00", "100.0", "100"), f"total {placed.total}")
    ctx["completed"] = placed.order_id


def out_of_stock(ctx):
    placed = place_and_wait(ctx["user_1"], order("user_1", "product_1", 200))
    expect(placed.status.value == "FAILED" and placed.failure.reason == "OUT_OF_STOCK", f"{placed.status} {placed.failure}")


def insufficient_funds(ctx):
    placed = place_and_wait(ctx["user_3"], order("user_3", "product_1", 5))
    expect(placed.failure.reason == "INSUFFICIENT_FUNDS", f"{placed.failure}")


def undeliverable(ctx):
    placed = place_and_wait(ctx["operator"], order("user_2", "product_2", 1, country="AQ"))
    expect(placed.failure.reason == "UNDELIVERABLE_ADDRESS", f"{placed.failure}")


def accepted_then_read(ctx):
    response = submit_order.sync_detailed(client=ctx["user_1"], body=order("user_1", "product_2", 1))
    expect(status(response) == 202, f"submitOrder without a wait answered {status(response)}")
    expect(response.headers.get("location") == "/orders/" + response.parsed.order_id, "Location header")
    read = get_order.sync_detailed(client=ctx["user_1"], order_id=response.parsed.order_id)
    expect(status(read) == 200, f"getOrder answered {status(read)}")


def idempotent_retry(ctx):
    first = place_and_wait(ctx["user_1"], order("user_1", "product_1", 1), key="generated-client-42")
    again = place_and_wait(ctx["user_1"], order("user_1", "product_1", 1), key="generated-client-42")
    expect(first.order_id == again.order_id, "the same key gave another order")
    reused = submit_order.sync_detailed(client=ctx["user_1"], body=order("user_1", "product_1", 3),
                                        idempotency_key="generated-client-42")
    expect(status(reused) == 422, f"a reused key answered {status(reused)}")


def problems_are_documented(ctx):
    unknown = submit_order.sync_detailed(client=ctx["user_1"], body=order("user_1", "no_such_sku", 1))
    expect(status(unknown) == 422, f"unknown SKU answered {status(unknown)}")
    invalid = submit_order.sync_detailed(client=ctx["user_1"], body=order("user_1", "product_1", 0))
    expect(status(invalid) == 400, f"quantity 0 answered {status(invalid)}")
    someone_else = submit_order.sync_detailed(client=ctx["user_1"], body=order("user_2", "product_1", 1))
    expect(status(someone_else) == 403, f"an order for user_2 by user_1 answered {status(someone_else)}")
    theirs = get_order.sync_detailed(client=ctx["user_2"], order_id=ctx["completed"])
    expect(status(theirs) == 404, f"another customer's order answered {status(theirs)}")
    too_late = cancel_order.sync_detailed(client=ctx["user_1"], order_id=ctx["completed"])
    expect(status(too_late) == 409, f"cancelling a completed order answered {status(too_late)}")
    anonymous = list_orders.sync_detailed(client=Client(base_url=API, raise_on_unexpected_status=True))
    expect(status(anonymous) == 401, f"no token answered {status(anonymous)}")


def listing(ctx):
    mine = list_orders.sync_detailed(client=ctx["user_1"], limit=200)
    expect(status(mine) == 200, f"listOrders answered {status(mine)}")
    expect(all(o.customer_id == "user_1" for o in mine.parsed.orders), "user_1 listed someone else's order")
    everyone = list_orders.sync_detailed(client=ctx["operator"], customer_id="user_3")
    expect(all(o.customer_id == "user_3" for o in everyone.parsed.orders), "the customerId filter")


def catalog_and_customers(ctx):
    products = list_products.sync_detailed(client=ctx["user_1"])
    expect(status(products) == 200 and len(products.parsed.products) >= 3, "listProducts")
    product = get_product.sync_detailed(client=ctx["operator"], sku="product_1")
    expect(status(product) == 200 and product.parsed.sku == "product_1", "getProduct")
    refused = put_product.sync_detailed(client=ctx["user_1"], sku="product_1",
                                        body=put_product_body(available=1))
    expect(status(refused) == 403, f"a customer restocking answered {status(refused)}")
    customers = list_customers.sync_detailed(client=ctx["operator"])
    expect(status(customers) == 200 and len(customers.parsed.customers) >= 3, "listCustomers")
    me = get_customer.sync_detailed(client=ctx["user_1"], customer_id="user_1")
    expect(status(me) == 200 and me.parsed.customer_id == "user_1", "getCustomer")


def put_product_body(**fields):
    from order_fulfillment_api_client.models import ProductChange
    return ProductChange(**fields)


SCENARIOS = [completed, out_of_stock, insufficient_funds, undeliverable, accepted_then_read, idempotent_retry,
             problems_are_documented, listing, catalog_and_customers]


def main():
    ctx = {name: client(name) for name in ("user_1", "user_2", "user_3", "operator")}
    passed = failed = 0
    for scenario in SCENARIOS:
        try:
            scenario(ctx)
            passed += 1
            print(f"PASS {scenario.__name__}")
        except Exception:  # an undeclared status raises UnexpectedStatus: a contract break
            failed += 1
            print(f"FAIL {scenario.__name__}")
            traceback.print_exc()
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
