package dev.parley.ops.chaos.check;

/** One promise, checked against a run's histories. */
public interface Check {

    /** @param log the log of {@code h}, indexed once for every check */
    void run(Histories h, LogIndex log, Findings findings);
}
