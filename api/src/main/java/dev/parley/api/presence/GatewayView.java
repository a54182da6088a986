package dev.parley.api.presence;

/**
 * A gateway as the registry sees it.
 *
 * @param incarnation the latest incarnation seen (its start time, epoch ms)
 * @param lastSeen    epoch ms of its latest record of that incarnation (by its clock)
 * @param alive       heard from within the registry's bound and not stopped
 * @param stopped     it said it stopped (clean shutdown)
 * @param users       users with an entry of that incarnation
 */
public record GatewayView(String gateway, long incarnation, long lastSeen, boolean alive, boolean stopped, int users) {
}
