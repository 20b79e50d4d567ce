package fr.atypie.refresh;

import fr.atypie.publish.RunManifest;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;

/**
 * Sums the shuffle and spill bytes of every Spark task from task-end events, so that each stage of
 * the run can record in the manifest what it cost in shuffles and spill (the disk a region-size run
 * runs out of first), and which Spark stage shuffled the most. Registered for one run, then removed.
 */
final class SparkWorkListener extends SparkListener implements AutoCloseable {
    /** How long a snapshot waits for the listener bus to deliver the events already posted. */
    private static final long FLUSH_MILLIS = 10_000;

    private final SparkContext context;
    private long shuffleWrite;
    private long shuffleRead;
    private long memorySpill;
    private long diskSpill;
    private long tasks;
    private int stages;
    private String heaviest;
    private long heaviestBytes = -1;

    /** Totals so far; a stage's work is the difference between two snapshots. */
    record Snapshot(long shuffleWrite, long shuffleRead, long memorySpill, long diskSpill, long tasks, int stages) {}

    private SparkWorkListener(SparkContext context) {
        this.context = context;
    }

    static SparkWorkListener register(SparkContext context) {
        SparkWorkListener l = new SparkWorkListener(context);
        context.addSparkListener(l);
        return l;
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        TaskMetrics m = end.taskMetrics();
        if (m == null) {
            return;
        }
        tasks++;
        shuffleWrite += m.shuffleWriteMetrics().bytesWritten();
        shuffleRead += m.shuffleReadMetrics().totalBytesRead();
        memorySpill += m.memoryBytesSpilled();
        diskSpill += m.diskBytesSpilled();
    }

    @Override
    public synchronized void onStageCompleted(SparkListenerStageCompleted completed) {
        StageInfo info = completed.stageInfo();
        stages++;
        long written = info.taskMetrics() == null ? 0 : info.taskMetrics().shuffleWriteMetrics().bytesWritten();
        if (written > heaviestBytes) {
            heaviestBytes = written;
            heaviest = info.name();
        }
    }

    /** Starts a stage: the totals once the events posted so far are delivered; resets the heaviest stage. */
    Snapshot begin() {
        Snapshot s = snapshot();
        synchronized (this) {
            heaviest = null;
            heaviestBytes = -1;
        }
        return s;
    }

    private Snapshot snapshot() {
        flush();
        synchronized (this) {
            return new Snapshot(shuffleWrite, shuffleRead, memorySpill, diskSpill, tasks, stages);
        }
    }

    /** The work since {@code from} (a {@link #begin}), with the heaviest shuffle since then. */
    RunManifest.SparkWork since(Snapshot from) {
        Snapshot now = snapshot();
        synchronized (this) {
            RunManifest.SparkWork w = new RunManifest.SparkWork(now.shuffleWrite() - from.shuffleWrite(),
                    now.shuffleRead() - from.shuffleRead(), now.memorySpill() - from.memorySpill(),
                    now.diskSpill() - from.diskSpill(), now.stages() - from.stages(), now.tasks() - from.tasks(),
                    heaviestBytes > 0 ? heaviest : null, Math.max(heaviestBytes, 0));
            return w;
        }
    }

    private void flush() {
        try {
            // The bus delivers events on its own thread; a stage's last task ends may still be queued.
            context.listenerBus().waitUntilEmpty(FLUSH_MILLIS);
        } catch (Exception e) {
            // A busy bus only makes this stage's figures slightly low; never fail a run for it.
        }
    }

    @Override
    public void close() {
        context.removeSparkListener(this);
    }
}
