#!/usr/bin/env python3
"""Reads the order service's Kafka topics with an independent client (librdkafka, through
confluent-kafka) and checks each record against docs/events.asyncapi.yaml.

Usage: read_events.py BOOTSTRAP ASYNCAPI_FILE [--idle SECONDS] [--max SECONDS] [--min-records N]

Reads orders.events and inventory.events from the beginning, under a group of its own that commits
nothing, until no record has arrived for --idle seconds (after at least --min-records), or --max
seconds have passed. Prints one JSON object per record, in the order read:
{"topic", "partition", "offset", "key", "headers": {name: value}, "data": {...} or null,
 "violations": ["..."]}; violations is empty when the record matches its message in the document:
the message named by ce_type on the channel of its topic, headers and payload (JSON Schema draft-07).
"""
import argparse
import json
import sys
import time
import uuid

import yaml
from confluent_kafka import Consumer, KafkaError
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

DOC_URI = "urn:events-asyncapi"
TYPE_PREFIX = "com.example.orders."


def main():
    args = argparse.ArgumentParser()
    args.add_argument("bootstrap")
    args.add_argument("asyncapi")
    args.add_argument("--idle", type=float, default=5.0)
    args.add_argument("--max", type=float, default=120.0)
    args.add_argument("--min-records", type=int, default=0)
    options = args.parse_args()

    doc = yaml.safe_load(open(options.asyncapi))
    registry = Registry().with_resource(DOC_URI, Resource(contents=doc, specification=DRAFT7))
    # topic -> {message name}: what each channel may carry
    allowed = {channel["address"]: set(channel["messages"]) for channel in doc["channels"].values()}

    def validator(pointer):
        return Draft7Validator({"$ref": DOC_URI + pointer}, registry=registry, format_checker=FormatChecker())

    validators = {name: (validator(f"#/components/messages/{name}/headers"),
                         validator(f"#/components/messages/{name}/payload"))
                  for name in doc["components"]["messages"]}

    consumer = Consumer({"bootstrap.servers": options.bootstrap, "group.id": f"read-events-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe(sorted(allowed))
    started = last = time.monotonic()
    records = 0
    try:
        while True:
            now = time.monotonic()
            if now - started > options.max or (records >= options.min_records and now - last > options.idle):
                break
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                if message.error().code() != KafkaError._PARTITION_EOF:
                    print(f"consumer error: {message.error()}", file=sys.stderr)
                continue
            last = time.monotonic()
            records += 1
            print(json.dumps(check(message, allowed, validators)), flush=True)
    finally:
        consumer.close()


def check(message, allowed, validators):
    headers = {name: value.decode("utf-8") for name, value in (message.headers() or [])}
    violations = []
    data = None
    try:
        data = json.loads(message.value().decode("utf-8"))
    except (ValueError, AttributeError) as e:
        violations.append(f"value is not JSON: {e}")
    event_type = headers.get("ce_type", "")
    name = event_type[len(TYPE_PREFIX):] if event_type.startswith(TYPE_PREFIX) else None
    if name not in allowed.get(message.topic(), set()):
        violations.append(f"ce_type {event_type!r} is no message of channel {message.topic()}")
    else:
        header_schema, payload_schema = validators[name]
        violations += [f"headers: {e.message}" for e in header_schema.iter_errors(headers)]
        if data is not None:
            violations += [f"payload: {e.message}" for e in payload_schema.iter_errors(data)]
    key = message.key().decode("utf-8") if message.key() is not None else None
    if key != headers.get("ce_subject"):
        violations.append(f"key {key!r} is not ce_subject {headers.get('ce_subject')!r}")
    return {"topic": message.topic(), "partition": message.partition(), "offset": message.offset(),
            "key": key, "headers": headers, "data": data, "violations": violations}


if __name__ == "__main__":
    main()
