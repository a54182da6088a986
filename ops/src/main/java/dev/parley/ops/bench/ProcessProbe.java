package dev.parley.ops.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/** This JVM's CPU time, heap and GC pauses (every process of a benchmark run has one). */
public final class ProcessProbe {

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final JitCpu jit = new JitCpu();
    private final AtomicLong gcCount = new AtomicLong();
    private final AtomicLong gcMillis = new AtomicLong();
    private final AtomicLong maxPause = new AtomicLong();

    public ProcessProbe() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        return;
                    }
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    if (info.getGcName().contains("Concurrent") || info.getGcCause().equals("System.gc()")) {
                        return; // concurrent cycles are not pauses; our own System.gc() is not the workload's
                    }
                    long ms = info.getGcInfo().getDuration();
                    gcCount.incrementAndGet();
                    gcMillis.addAndGet(ms);
                    maxPause.accumulateAndGet(ms, Math::max);
                }, null, null);
            }
        }
    }

    /** The counters now; the max pause restarts from 0 after each call. */
    public ProcessStats snapshot() {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new ProcessStats(System.nanoTime(), os.getProcessCpuTime(), heap.getUsed(), heap.getCommitted(),
                gcCount.get(), gcMillis.get(), maxPause.getAndSet(0), jit.millis());
    }

    /** Full collections until the used heap stops shrinking, then a snapshot: the live heap. */
    public ProcessStats afterGc() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (used >= best * 0.99) {
                break;
            }
            best = Math.min(best, used);
        }
        ProcessStats s = snapshot();
        return new ProcessStats(s.wallNanos(), s.cpuNanos(), Math.min(best, s.heapUsed()), s.heapCommitted(), s.gcCount(),
                s.gcPauseMillis(), s.maxPauseMillis(), s.jitMillis());
    }
}
