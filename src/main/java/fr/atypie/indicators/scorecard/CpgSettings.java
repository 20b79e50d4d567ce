package fr.atypie.indicators.scorecard;

import com.typesafe.config.ConfigValueType;
import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import fr.atypie.indicators.scorecard.CpgScoring.Direction;
import fr.atypie.indicators.scorecard.CpgScoring.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The CPG contract as configured in {@code conf/cpg.conf} (section {@code atypie.cpg}): axes with
 * their points, each axis's indicators (kind, direction, points, default objective and floor),
 * per-department objectives that override those defaults, and results entered by hand for
 * indicators the claims cannot produce.
 *
 * @param axes           the axes in configuration order (sorted by id), points summing to 1000
 * @param objectives     department → indicator → overriding objective (fields left NaN keep the default)
 * @param enteredResults department → indicator → entered result
 */
public record CpgSettings(List<Axis> axes,
                          Map<String, Map<String, Target>> objectives,
                          Map<String, Map<String, Double>> enteredResults) {

    /** An axis of the contract. */
    public record Axis(String id, String label, double points, List<Indicator> indicators) {}

    /** An indicator of an axis, with its default target. */
    public record Indicator(String id, String axis, Kind kind, Direction direction, Target target) {}

    /**
     * Objective, floor (rates only) and indicator points. NaN means "not set here" (a department
     * override inherits the indicator's default).
     */
    public record Target(double objective, double floor, double points) {
        Target orElse(Target fallback) {
            return new Target(Double.isNaN(objective) ? fallback.objective : objective,
                    Double.isNaN(floor) ? fallback.floor : floor,
                    Double.isNaN(points) ? fallback.points : points);
        }
    }

    public static CpgSettings from(Section s) {
        List<Axis> axes = new ArrayList<>();
        Map<String, Indicator> byId = new LinkedHashMap<>();
        double total = 0;
        for (Section a : s.children("axes")) {
            double points = a.number("points", 0.0, CpgScoring.TOTAL_POINTS);
            total += points;
            List<Indicator> indicators = new ArrayList<>();
            for (Section i : a.children("indicators")) {
                Kind kind = enumOf(i, "kind", Kind::parse, "amount, rate, binary, success");
                Direction dir = enumOf(i, "direction", Direction::parse, "higher, lower");
                Target t = readTarget(i, true);
                Indicator ind = new Indicator(i.name(), a.name(), kind, dir, t);
                check(ind, t, i);
                if (byId.put(ind.id(), ind) != null) {
                    throw new ConfigError(a.key("indicators." + ind.id()) + ": indicator '" + ind.id()
                            + "' is already defined in another axis");
                }
                indicators.add(ind);
            }
            if (indicators.isEmpty()) {
                throw new ConfigError(a.key("indicators") + " must list at least one indicator");
            }
            axes.add(new Axis(a.name(), a.string("label"), points, List.copyOf(indicators)));
        }
        if (Math.abs(total - CpgScoring.TOTAL_POINTS) > 1e-9) {
            throw new ConfigError(s.key("axes") + ": axis points add up to " + total + ", not 1000");
        }

        Map<String, Map<String, Target>> objectives = new TreeMap<>();
        for (Section dept : s.children("objectives")) {
            Map<String, Target> perIndicator = new TreeMap<>();
            for (Section o : ownChildren(dept)) {
                Indicator ind = known(byId, o.name(), dept);
                Target t = readTarget(o, false);
                check(ind, t.orElse(ind.target()), o);
                perIndicator.put(ind.id(), t);
            }
            objectives.put(dept.name(), Map.copyOf(perIndicator));
        }

        Map<String, Map<String, Double>> entered = new TreeMap<>();
        for (Section dept : s.children("entered-results")) {
            Map<String, Double> values = new TreeMap<>();
            for (String name : new TreeSet<>(dept.raw().root().keySet())) {
                known(byId, name, dept);
                values.put(name, dept.number(name, -1e15, 1e15));
            }
            entered.put(dept.name(), Map.copyOf(values));
        }
        return new CpgSettings(List.copyOf(axes), Map.copyOf(objectives), Map.copyOf(entered));
    }

    /** All indicators, axis by axis. */
    public List<Indicator> indicators() {
        return axes.stream().flatMap(a -> a.indicators().stream()).toList();
    }

    public Optional<Indicator> indicator(String id) {
        return indicators().stream().filter(i -> i.id().equals(id)).findFirst();
    }

    /** The department's target for an indicator: its override, else the indicator's default. */
    public Target target(String department, Indicator indicator) {
        Target own = objectives.getOrDefault(department, Map.of()).get(indicator.id());
        return own == null ? indicator.target() : own.orElse(indicator.target());
    }

    private static Target readTarget(Section s, boolean withPoints) {
        double objective = s.has("objective") ? s.number("objective", -1e15, 1e15) : Double.NaN;
        double floor = s.has("floor") ? s.number("floor", -1e15, 1e15) : Double.NaN;
        double points = s.has("points") ? s.number("points", 1e-9, 1e6) : Double.NaN;
        if (withPoints && Double.isNaN(points)) {
            throw new ConfigError("missing configuration key '" + s.key("points") + "'");
        }
        return new Target(objective, floor, points);
    }

    /** A department override may leave fields to the default, so only the merged target is checked. */
    private static void check(Indicator ind, Target t, Section where) {
        if (ind.kind() == Kind.SUCCESS) {
            return; // entered success rates need neither objective nor floor
        }
        if (ind.kind() == Kind.AMOUNT && ind.direction() == Direction.LOWER) {
            throw new ConfigError(where.key("direction") + ": an amount indicator is higher-is-better;"
                    + " use kind = rate with a floor for a lower-is-better one");
        }
        if (Double.isNaN(t.objective())) {
            throw new ConfigError("missing configuration key '" + where.key("objective") + "'");
        }
        if (ind.kind() == Kind.AMOUNT && !(t.objective() > 0)) {
            throw new ConfigError(where.key("objective") + " = " + t.objective() + " must be > 0 for an amount");
        }
        if (ind.kind() == Kind.RATE) {
            if (Double.isNaN(t.floor())) {
                throw new ConfigError("missing configuration key '" + where.key("floor") + "' (rates score linearly from the floor)");
            }
            boolean ok = ind.direction() == Direction.HIGHER ? t.objective() > t.floor() : t.objective() < t.floor();
            if (!ok) {
                throw new ConfigError(where.key("floor") + " = " + t.floor() + " must be "
                        + (ind.direction() == Direction.HIGHER ? "below" : "above") + " the objective "
                        + t.objective() + " (direction = " + ind.direction().label() + ")");
            }
        }
    }

    private static Indicator known(Map<String, Indicator> byId, String id, Section where) {
        Indicator ind = byId.get(id);
        if (ind == null) {
            throw new ConfigError(where.key(id) + ": unknown indicator '" + id
                    + "' (known: " + String.join(", ", new TreeSet<>(byId.keySet())) + ")");
        }
        return ind;
    }

    /** The sub-sections of a section whose keys are user-chosen names (indicators of a department). */
    private static List<Section> ownChildren(Section s) {
        List<Section> out = new ArrayList<>();
        for (String name : new TreeSet<>(s.raw().root().keySet())) {
            if (s.raw().root().get(name).valueType() != ConfigValueType.OBJECT) {
                throw new ConfigError(s.key(name) + " must be an object { objective = ..., floor = ..., points = ... }");
            }
            out.add(new Section(s.raw().getConfig("\"" + name + "\""), s.key(name)));
        }
        return out;
    }

    private static <E> E enumOf(Section s, String key, Function<String, E> parse, String allowed) {
        String v = s.string(key);
        try {
            return parse.apply(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(s.key(key) + " = '" + v + "' is not one of " + allowed);
        }
    }
}
