package fr.atypie.publish;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.atypie.fs.Store;
import java.io.IOException;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * What a scheduler reads after a run, beside the publications: {@code <out>/<YYYY-MM>.status.json}
 * for the month (when known) and {@code <out>/last-run.status.json}, each replaced as a whole.
 * In YARN or Kubernetes cluster mode the exit code does not reach the submitting shell (only
 * "failed"); this file keeps it.
 *
 * @param status      "succeeded" or "failed"
 * @param exitCode    the process exit code (see the operators' guide)
 * @param month       the refresh month, null when the run failed before knowing it
 * @param publication where the month is published (null on failure)
 * @param outputs     the published files, relative to the publication (empty on failure)
 * @param error       the error message on failure, else null
 * @param warnings    what went wrong without failing the run (a catalog registration), else empty
 */
@JsonPropertyOrder({"status", "exitCode", "month", "runId", "startedAt", "endedAt", "publication", "outputs", "error",
        "warnings"})
public record RunStatus(String status, int exitCode, String month, String runId, String startedAt, String endedAt,
                        String publication, List<String> outputs, String error,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String LAST_RUN = "last-run.status.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @JsonCreator
    public RunStatus {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);   // absent from older files
    }

    public RunStatus(String status, int exitCode, String month, String runId, String startedAt, String endedAt,
                     String publication, List<String> outputs, String error) {
        this(status, exitCode, month, runId, startedAt, endedAt, publication, outputs, error, List.of());
    }

    /** This status with warnings added (e.g. the month is published but not registered in the catalog). */
    public RunStatus withWarnings(List<String> more) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new RunStatus(status, exitCode, month, runId, startedAt, endedAt, publication, outputs, error, all);
    }

    public static String fileName(YearMonth month) {
        return month + ".status.json";
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }

    /** Writes the month's status (if the month is known) and the last run's. */
    public void write(Store out) throws IOException {
        String json = MAPPER.writeValueAsString(this) + "\n";
        if (month != null) {
            out.writeTextAtomically(fileName(YearMonth.parse(month)), json);
        }
        out.writeTextAtomically(LAST_RUN, json);
    }

    public static Optional<RunStatus> read(Store out, YearMonth month) throws IOException {
        Optional<String> json = out.readText(fileName(month));
        return json.isEmpty() ? Optional.empty() : Optional.of(MAPPER.readValue(json.get(), RunStatus.class));
    }
}
