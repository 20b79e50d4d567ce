package fr.atypie.indicators;

import static org.apache.spark.sql.functions.*;

import fr.atypie.errors.ConfigError;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Age bands of the standardisation strata (age band × sex × ALD). A band is named by its lower
 * bound; the last band is open-ended. Indicator age filters must fall on band boundaries, so that
 * a filter such as "16-64" selects whole strata: this is checked at start-up.
 */
public record AgeBands(List<Integer> lowerBounds) {
    public AgeBands {
        lowerBounds = List.copyOf(lowerBounds);
        if (lowerBounds.isEmpty() || lowerBounds.get(0) != 0) {
            throw new ConfigError("atypie.indicators.age-bands must start at 0, got " + lowerBounds);
        }
        for (int i = 1; i < lowerBounds.size(); i++) {
            if (lowerBounds.get(i) <= lowerBounds.get(i - 1)) {
                throw new ConfigError("atypie.indicators.age-bands must increase, got " + lowerBounds);
            }
        }
    }

    /** Lower bound of the band holding {@code age}, as a Spark column. */
    public Column bandOf(Column age) {
        Column band = lit(lowerBounds.get(0));
        for (int b : lowerBounds.subList(1, lowerBounds.size())) {
            band = when(age.geq(b), lit(b)).otherwise(band);
        }
        return band;
    }

    public int bandOf(int age) {
        int band = lowerBounds.get(0);
        for (int b : lowerBounds) {
            if (age >= b) {
                band = b;
            }
        }
        return band;
    }

    /** Whether {@code age} is a band boundary (or 0 / open upper end, written as a large number). */
    public boolean isBoundary(int age) {
        return lowerBounds.contains(age) || age >= 200;
    }

    public String label(int lower) {
        int i = lowerBounds.indexOf(lower);
        return i == lowerBounds.size() - 1 ? lower + "+" : lower + "-" + (lowerBounds.get(i + 1) - 1);
    }
}
