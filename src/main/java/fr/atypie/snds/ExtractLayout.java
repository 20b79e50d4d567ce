package fr.atypie.snds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.time.YearMonth;

/**
 * Where an extract's files live: {@code <root>/<TABLE>/} for referentials and
 * {@code <root>/<TABLE>/flux_month=YYYY-MM/} for the flux tables. The generator writes this
 * layout and the reader expects it, so both go through this one class.
 */
public record ExtractLayout(Path root) {
    public static final String FLUX_PARTITION = "flux_month";

    public Path tableDir(SndsTable table) {
        return root.resolve(table.name());
    }

    public Path fluxDir(SndsTable table, YearMonth fluxMonth) {
        if (!table.partitionedByFlux()) {
            throw new IllegalArgumentException(table + " is not partitioned by flux month");
        }
        return tableDir(table).resolve(FLUX_PARTITION + "=" + fluxMonth);
    }

    /**
     * Bytes of the flux tables' files a run reads under {@code flux} (every file of a flux table that
     * is not partitioned by month): what sizes its shuffles. 0 where nothing can be listed.
     */
    public long fluxBytes(FluxSelection flux) {
        long bytes = 0;
        String prefix = FLUX_PARTITION + "=";
        for (SndsTable t : SndsTable.values()) {
            if (!t.partitionedByFlux() || !Files.isDirectory(tableDir(t))) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(tableDir(t))) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    Path part = tableDir(t).relativize(f).getName(0);
                    String name = part.toString();
                    boolean partitioned = name.startsWith(prefix) && name.substring(prefix.length()).matches("\\d{4}-\\d{2}");
                    if (!partitioned || flux.includes(YearMonth.parse(name.substring(prefix.length())))) {
                        bytes += Files.size(f);
                    }
                }
            } catch (IOException e) {
                return bytes; // the reader names what cannot be read
            }
        }
        return bytes;
    }
}
