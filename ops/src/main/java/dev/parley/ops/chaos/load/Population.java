package dev.parley.ops.chaos.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Who is in the chaos run, from its seed: users, public and private channels with their owners and members, the
 * users added to private channels while the load runs, and the users who also run a protocol probe. Pure.
 *
 * @param users     every user, {@code u00}, {@code u01}, ...
 * @param channels  every channel with its first members
 * @param lateJoins users added to private channels during the load
 * @param probes    users who also follow their channels with a raw protocol probe
 */
public record Population(List<String> users, List<ChannelPlan> channels, List<LateJoin> lateJoins, List<String> probes) {

    /** A channel: its id, whether private, its owner (who creates it and adds the others) and its first members. */
    public record ChannelPlan(String id, boolean isPrivate, String owner, List<String> members) {
        public ChannelPlan {
            members = List.copyOf(members);
        }
    }

    /** {@code user} is added to {@code channel} by its owner when {@code at} (0..1) of the load has passed. */
    public record LateJoin(String channel, String user, double at) {
    }

    public Population {
        users = List.copyOf(users);
        channels = List.copyOf(channels);
        lateJoins = List.copyOf(lateJoins);
        probes = List.copyOf(probes);
    }

    /**
     * @param userCount    users
     * @param channelCount channels; every third is private
     * @param members      members per channel (owner included), at most {@code userCount}
     * @param lateJoins    private channels that get one more member during the load (at most one each)
     * @param probeCount   users who also run a probe
     */
    public static Population plan(long seed, String prefix, int userCount, int channelCount, int members, int lateJoins, int probeCount) {
        if (members < 2 || members > userCount) {
            throw new IllegalArgumentException("members per channel must be 2.." + userCount + ", got " + members);
        }
        Random random = new Random(seed);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < userCount; i++) {
            users.add(String.format("%su%02d", prefix, i));
        }
        List<ChannelPlan> channels = new ArrayList<>();
        java.util.Map<String, Integer> load = new java.util.HashMap<>();
        for (int c = 0; c < channelCount; c++) {
            boolean isPrivate = c % 3 == 2;
            // the owner rotates; the other members are the users in the fewest channels so far (ties broken at random),
            // so memberships spread evenly and every user is in some channel
            Set<String> m = new LinkedHashSet<>();
            m.add(users.get(c % userCount));
            List<String> others = new ArrayList<>(users);
            Collections.shuffle(others, random);
            others.sort(java.util.Comparator.comparingInt(u -> load.getOrDefault(u, 0)));
            for (String u : others) {
                if (m.size() == members) {
                    break;
                }
                m.add(u);
            }
            m.forEach(u -> load.merge(u, 1, Integer::sum));
            List<String> list = new ArrayList<>(m);
            channels.add(new ChannelPlan(String.format("%s%s%02d", prefix, isPrivate ? "priv" : "pub", c), isPrivate, list.get(0), list));
        }
        List<LateJoin> joins = new ArrayList<>();
        for (ChannelPlan c : channels) {
            if (joins.size() == lateJoins || !c.isPrivate() || c.members().size() == userCount) {
                continue;
            }
            List<String> outside = new ArrayList<>(users);
            outside.removeAll(c.members());
            joins.add(new LateJoin(c.id(), outside.get(random.nextInt(outside.size())), 0.1 + 0.6 * random.nextDouble()));
        }
        List<String> probes = new ArrayList<>();
        for (int i = 0; i < Math.min(probeCount, userCount); i++) {
            probes.add(users.get(i * userCount / Math.max(1, probeCount)));
        }
        return new Population(users, channels, joins, probes);
    }

    /** The channels {@code user} is a member of from the start. */
    public List<String> channelsOf(String user) {
        return channels.stream().filter(c -> c.members().contains(user)).map(ChannelPlan::id).toList();
    }
}
