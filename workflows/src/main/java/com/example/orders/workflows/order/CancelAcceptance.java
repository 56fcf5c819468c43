package com.example.orders.workflows.order;

/** Answer of the {@code cancel} update: the cancel was accepted while the order had this status. */
public record CancelAcceptance(String orderId, OrderStatus statusWhenAccepted) {}
