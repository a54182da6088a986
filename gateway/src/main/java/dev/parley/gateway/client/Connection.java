package dev.parley.gateway.client;

import dev.parley.gateway.admission.Limits;
import dev.parley.gateway.admission.ReadGate;
import dev.parley.gateway.hub.ClientSession;

/** One WebSocket connection as the protocol sees it: its session, its read gate and its own rate buckets. */
public record Connection(ClientSession session, ReadGate gate, Limits limits) {
}
