package dev.parley.schemas.topics;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsResult;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;

/**
 * A fault-injecting decorator around a real {@link Admin} (every call goes to the real cluster): after
 * {@code createTopics}, every second {@code listTopics} answers with the topic list from before the creation
 * (a limited number of times), as a broker of a multi-broker cluster does until it has applied the new
 * metadata: the admin client asks whichever broker is least loaded, so consecutive answers come from
 * different brokers.
 */
final class LaggingBrokerAdmin {

    private LaggingBrokerAdmin() {
    }

    /** @param staleAnswers how many stale answers to give in all */
    static Admin around(Admin real, int staleAnswers) {
        AtomicInteger callsSinceCreate = new AtomicInteger(-1);
        AtomicInteger stale = new AtomicInteger(staleAnswers);
        AtomicReference<Set<String>> before = new AtomicReference<>();
        return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class}, (proxy, method, args) -> {
            if (method.getName().equals("createTopics")) {
                before.set(real.listTopics().names().get(30, TimeUnit.SECONDS));
                callsSinceCreate.set(0);
            } else if (method.getName().equals("listTopics") && callsSinceCreate.get() >= 0
                    && callsSinceCreate.incrementAndGet() % 2 == 0 && stale.getAndDecrement() > 0) {
                return listing(before.get());
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    /** A ListTopicsResult of {@code names}; its constructor is package-private (Kafka builds it from a future). */
    private static ListTopicsResult listing(Set<String> names) throws ReflectiveOperationException {
        Map<String, TopicListing> listings = new HashMap<>();
        names.forEach(n -> listings.put(n, new TopicListing(n, Uuid.ZERO_UUID, false)));
        Constructor<ListTopicsResult> c = ListTopicsResult.class.getDeclaredConstructor(KafkaFuture.class);
        c.setAccessible(true);
        return c.newInstance(KafkaFuture.completedFuture(listings));
    }
}
