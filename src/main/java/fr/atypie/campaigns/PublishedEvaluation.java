package fr.atypie.campaigns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import fr.atypie.fs.Store;
import fr.atypie.fs.VersionedFolders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A campaign evaluation as published by {@code atypie evaluate} ({@code effects.csv} and
 * {@code cost.csv} of {@code evaluations/<campaign>/}), read back for the monthly report. Values
 * of secret rows are already empty in the files: what is read here never holds a small cell.
 *
 * @param problem why the files could not be read (e.g. written by an earlier version); then no rows
 */
public record PublishedEvaluation(String campaign, List<Effect> effects, List<Cost> costs,
                                  java.util.Map<String, Integer> contacts, Optional<String> problem) {
    /** The files the monthly publication keeps a copy of. */
    public static final List<String> FILES = List.of(EvaluationOutputs.EFFECTS + ".csv", EvaluationOutputs.COST,
            EvaluationOutputs.CONTACTS);

    public PublishedEvaluation {
        effects = List.copyOf(effects);
        costs = List.copyOf(costs);
        contacts = java.util.Map.copyOf(contacts);
    }

    public PublishedEvaluation(String campaign, List<Effect> effects, List<Cost> costs, Optional<String> problem) {
        this(campaign, effects, costs, java.util.Map.of(), problem);
    }

    /** One effects row; NaN for an empty cell (undefined, or hidden when {@code secret}). */
    public record Effect(String measure, String window, double treatedBefore, double controlBefore, double controlAfter,
                         double did, double ciLow, double ciHigh, int treated, int controls,
                         double placeboDid, double placeboLow, double placeboHigh, double timePlaceboDid,
                         double timePlaceboLow, double timePlaceboHigh, String timePlaceboStatus, boolean secret) {
        /** Δ relative to the treated prescribers' counterfactual (before + the controls' change); NaN when undefined. */
        public double relative() {
            double counterfactual = treatedBefore + (controlAfter - controlBefore);
            return counterfactual > 0 ? did / counterfactual : Double.NaN;
        }
    }

    /** One cost row (one after window). */
    public record Cost(String window, int contacts, double staffDays, double netDaysPerContact, double netEurosPerContact,
                       boolean secret) {}

    /** Every evaluation folder under {@code evaluations} (names in order; staging leftovers skipped); none if absent. */
    public static List<PublishedEvaluation> readAll(Path evaluations) {
        return readAll(Store.local(evaluations));
    }

    /**
     * As {@link #readAll(Path)}, on any file system ({@code hdfs://...}); on an object store each
     * campaign is the version its pointer {@code <campaign>.current} names ({@link VersionedFolders}).
     */
    public static List<PublishedEvaluation> readAll(Store evaluations) {
        List<PublishedEvaluation> out = new ArrayList<>();
        try {
            for (String name : VersionedFolders.names(evaluations)) {
                Optional<Store> folder;
                try {
                    folder = VersionedFolders.resolve(evaluations, name);
                } catch (IllegalStateException damaged) {
                    // A damaged pointer, like a damaged file below: the report says so and goes on.
                    out.add(new PublishedEvaluation(name, List.of(), List.of(), Optional.of("unreadable pointer: " + damaged.getMessage())));
                    continue;
                }
                if (folder.isEmpty()) {
                    continue;
                }
                Store f = folder.get();
                if (f.isFile(FILES.get(0))) {
                    try {
                        out.add(read(name, f));
                    } catch (RuntimeException bad) {
                        // A damaged evaluation must not stop the monthly report: it says so instead.
                        out.add(new PublishedEvaluation(name, List.of(), List.of(), Optional.of("unreadable row: " + bad)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(out);
    }

    static PublishedEvaluation read(String campaign, Store folder) throws IOException {
        List<String[]> effects = rows(folder, FILES.get(0));
        if (!Arrays.asList(effects.get(0)).equals(EvaluationOutputs.EFFECTS_COLUMNS)) {
            return new PublishedEvaluation(campaign, List.of(), List.of(),
                    Optional.of("effects.csv has another header (an earlier version of atypie evaluate)"));
        }
        List<Effect> e = new ArrayList<>();
        for (String[] r : effects.subList(1, effects.size())) {
            e.add(new Effect(r[0], r[1], num(r[2]), num(r[4]), num(r[5]), num(r[6]), num(r[7]), num(r[8]),
                    Integer.parseInt(r[9]), Integer.parseInt(r[10]),
                    num(r[11]), num(r[12]), num(r[13]), num(r[14]), num(r[15]), num(r[16]), r[17], Boolean.parseBoolean(r[18])));
        }
        List<Cost> c = new ArrayList<>();
        if (folder.isFile(FILES.get(1))) {
            List<String[]> cost = rows(folder, FILES.get(1));
            if (!Arrays.asList(cost.get(0)).equals(EvaluationOutputs.COST_COLUMNS)) {
                return new PublishedEvaluation(campaign, e, List.of(),
                        Optional.of("cost.csv has another header (an earlier version of atypie evaluate)"));
            }
            for (String[] r : cost.subList(1, cost.size())) {
                c.add(new Cost(r[0], Integer.parseInt(r[1]), num(r[2]), num(r[8]), num(r[9]), Boolean.parseBoolean(r[10])));
            }
        }
        java.util.Map<String, Integer> byAction = new java.util.TreeMap<>();
        if (folder.isFile(EvaluationOutputs.CONTACTS)) {
            List<String[]> rows = rows(folder, EvaluationOutputs.CONTACTS);
            for (String[] r : rows.subList(1, rows.size())) {
                byAction.merge(r[0], Integer.parseInt(r[1]), Integer::sum);
            }
        }
        return new PublishedEvaluation(campaign, e, c, byAction, Optional.empty());
    }

    /** EvaluationOutputs.csv: ',' separated, no quoting (codes and numbers only), header first. */
    private static List<String[]> rows(Store folder, String csv) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : folder.readText(csv).orElse("").lines().toList()) {
            if (!line.isBlank()) {
                rows.add(line.split(",", -1));
            }
        }
        if (rows.isEmpty()) {
            rows.add(new String[0]);
        }
        return rows;
    }

    private static double num(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
