package dev.parley.ops.cluster;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * The entry point of every node JVM of the local cluster: {@code ChildMain <main class> [args...]} runs that
 * main class, and ends the JVM when the parent that started it is gone, however it went (even SIGKILL):
 * the parent holds the write end of this process's standard input, which the kernel closes when the parent
 * dies, so reading it returns end-of-file. The node then stops the way SIGTERM stops it (shutdown hooks:
 * clean close), and is halted if that takes more than {@value #HALT_AFTER_SECONDS} s.
 *
 * <p>The parent starts it with SIGINT ignored (see {@link ClusterNode}), so a terminal's Ctrl-C reaches only
 * the parent, which stops the nodes in order.
 */
public final class ChildMain {

    static final int HALT_AFTER_SECONDS = 30;

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ChildMain <main class> [args...]");
            System.exit(2);
        }
        watchParent();
        try {
            Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            System.err.println(args[0] + " failed:");
            e.getCause().printStackTrace();
            System.err.flush();
            System.exit(1);
        }
    }

    private static void watchParent() {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // nothing is ever sent; only the end of the stream matters
                }
            } catch (IOException closed) {
                // the same: the parent is gone
            }
            System.err.println("parley-cluster: the parent process is gone; stopping");
            System.err.flush();
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(HALT_AFTER_SECONDS * 1000L);
                } catch (InterruptedException ignored) {
                    // exiting anyway
                }
                Runtime.getRuntime().halt(1);
            }, "parley-orphan-halt");
            halt.setDaemon(true);
            halt.start();
            System.exit(0);
        }, "parley-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
