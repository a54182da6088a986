package dev.parley.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuCostTest {

    private static ProcessStats.Delta cores(String process, double cores) {
        return new ProcessStats.Delta(process, cores, 0, 0, 0, 0, 0);
    }

    @Test
    void cpuPerSendSumsTheSystemsProcessesButNotTheLoadGenerator() {
        List<ProcessStats.Delta> w2 = List.of(cores("loadgen", 0.30), cores("kafka", 0.32), cores("topology", 0.77), cores("gateway", 0.50));
        // (0.32 + 0.77 + 0.50) CPU-seconds per second / 13,646 sends per second = 0.1165 ms per send
        assertThat(CpuCost.millisPerOperation(w2, CpuCost.PARLEY, 13_646)).isCloseTo(0.11652, within(1e-5));
    }

    @Test
    void cpuPerRecordOfThePipeCountsTheBrokerAndThePipe() {
        List<ProcessStats.Delta> saturation = List.of(cores("loadgen", 1.10), cores("kafka", 0.55), cores("eos-pipe", 0.85));
        // 1.40 cores / 157,336 records per second = 0.0089 ms per record
        assertThat(CpuCost.millisPerOperation(saturation, CpuCost.EOS_PIPE, 157_336)).isCloseTo(0.008898, within(1e-6));
    }

    @Test
    void aMissingProcessOrNoThroughputIsNotANumber() {
        List<ProcessStats.Delta> w = List.of(cores("kafka", 0.3), cores("topology", 0.7));
        assertThat(CpuCost.millisPerOperation(w, CpuCost.PARLEY, 1000)).isNaN();
        assertThat(CpuCost.millisPerOperation(List.of(cores("kafka", 0.3), cores("eos-pipe", 0.5)), CpuCost.EOS_PIPE, 0)).isNaN();
        assertThat(CpuCost.millisPerOperation(null, CpuCost.EOS_PIPE, 10)).isNaN();
    }

    @Test
    void aDeltaTakesCpuAndJitTimePerWallClockTime() {
        ProcessStats start = new ProcessStats(1_000_000_000L, 5_000_000_000L, 0, 0, 10, 100, 0, 2_000);
        ProcessStats end = new ProcessStats(11_000_000_000L, 12_000_000_000L, 7, 0, 14, 180, 30, 4_500);
        ProcessStats.Delta d = ProcessStats.delta("topology", start, end);
        assertThat(d.cores()).isCloseTo(0.70, within(1e-9)); // 7 s of CPU in 10 s
        assertThat(d.jitCores()).isCloseTo(0.25, within(1e-9)); // 2.5 s of compiling in 10 s
        assertThat(d.gcCount()).isEqualTo(4);
        assertThat(d.gcPauseMillis()).isEqualTo(80);
        assertThat(ProcessStats.decode(end.encode())).isEqualTo(end);
    }

    @Test
    void jitCpuIsReadFromTheCompilerThreadsStat() {
        // /proc/<pid>/task/<tid>/stat of a compiler thread: utime 1234 and stime 56 ticks (fields 14 and 15)
        String stat = "4711 (C2 CompilerThre) S 1 4700 4700 0 -1 4194368 9 0 0 0 1234 56 0 0 20 0 30 0 100 0 0";
        assertThat(JitCpu.ticks(stat)).isEqualTo(1290);
        assertThat(new JitCpu().millis()).isGreaterThanOrEqualTo(0);
    }
}
