package fr.atypie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A run that ran out of heap is told so, with what to change; other failures are not. */
class ExitCodesTest {
    private static final String ADVICE = "): the heap is too small for this extract; give the driver more, e.g."
            + " ATYPIE_DRIVER_MEMORY=10g bin/atypie ..., or --driver-memory with spark-submit"
            + " (nothing was published; the previous publication is unchanged)";

    @Test
    void anOutOfMemoryErrorBehindTheFailureNamesTheHeap() {
        assertEquals(Optional.of("out of memory (OutOfMemoryError: Java heap space" + ADVICE),
                ExitCodes.outOfMemory(new IllegalStateException("collect failed", new OutOfMemoryError("Java heap space"))));
    }

    @Test
    void aTaskThatRanOutOfHeapIsReadFromItsStageFailure() {
        RuntimeException stageFailure = new RuntimeException("Job aborted due to stage failure: Task 3 in stage 250.0 failed 1 "
                + "times, most recent failure: Lost task 3.0 (TID 9): java.lang.OutOfMemoryError: Java heap space");
        assertEquals(Optional.of("out of memory (OutOfMemoryError in a Spark task" + ADVICE),
                ExitCodes.outOfMemory(new IllegalStateException("write failed", stageFailure)));
    }

    /** As at Occitanie size with a 7 GB heap: Spark's page allocation retried by recursion until the stack overflowed. */
    @Test
    void sparksPageRetriesThatOverflowTheStackNameTheHeap() {
        StackOverflowError overflow = new StackOverflowError();
        StackTraceElement retry = new StackTraceElement("org.apache.spark.memory.TaskMemoryManager", "allocatePage",
                "TaskMemoryManager.java", 345);
        overflow.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("org.apache.logging.log4j.spi.AbstractLogger", "warn", "AbstractLogger.java", 2768),
            retry, retry, retry});
        assertEquals(Optional.of("out of memory (StackOverflowError in Spark's page allocation" + ADVICE),
                ExitCodes.outOfMemory(overflow));
    }

    @Test
    void otherFailuresGetNoMemoryAdvice() {
        StackOverflowError recursion = new StackOverflowError();
        recursion.setStackTrace(new StackTraceElement[] {new StackTraceElement("fr.atypie.Some", "walk", "Some.java", 1)});
        assertEquals(Optional.empty(), ExitCodes.outOfMemory(recursion));
        assertEquals(Optional.empty(), ExitCodes.outOfMemory(new IOException("No space left on device")));
        assertEquals(Optional.empty(), ExitCodes.outOfMemory(new RuntimeException((String) null)));
    }
}
