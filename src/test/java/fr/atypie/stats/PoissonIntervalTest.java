package fr.atypie.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoissonIntervalTest {

    @Test
    void zeroCountHasLowerZeroAndClosedFormUpper() {
        // O = 0: P(X = 0 | U) = e^{-U} = 0.025 → U = −ln 0.025.
        PoissonInterval i = PoissonInterval.exact(0, 0.95);
        assertEquals(0.0, i.lower());
        assertEquals(-Math.log(0.025), i.upper(), 1e-9);
    }

    @Test
    void countOfOneHasClosedFormLower() {
        // O = 1: P(X ≥ 1 | L) = 1 − e^{-L} = 0.025 → L = −ln 0.975.
        assertEquals(-Math.log(0.975), PoissonInterval.exact(1, 0.95).lower(), 1e-9);
    }

    @Test
    void publishedGarwoodTableValues() {
        // Garwood (1936) 95 % limits, as tabulated e.g. in Ulm (1990): O = 5 → 1.6235–11.6683, O = 10 → 4.7954–18.3904.
        PoissonInterval five = PoissonInterval.exact(5, 0.95);
        assertEquals(1.6235, five.lower(), 1e-4);
        assertEquals(11.6683, five.upper(), 1e-4);
        PoissonInterval ten = PoissonInterval.exact(10, 0.95);
        assertEquals(4.7954, ten.lower(), 1e-4);
        assertEquals(18.3904, ten.upper(), 1e-4);
    }

    /** The defining property of the exact interval: each bound leaves exactly α/2 in the Poisson tail. */
    @ParameterizedTest
    @CsvSource({"1,0.95", "2,0.95", "5,0.95", "10,0.95", "37,0.95", "200,0.95", "3,0.998", "50,0.998"})
    void boundsLeaveExactlyHalfAlphaInEachTail(int observed, double level) {
        PoissonInterval i = PoissonInterval.exact(observed, level);
        double tail = (1 - level) / 2;
        // P(X ≥ O | λ = lower) = α/2, i.e. P(X ≤ O − 1 | lower) = 1 − α/2.
        assertEquals(1 - tail, poissonCdf(observed - 1, i.lower()), 1e-9);
        // P(X ≤ O | λ = upper) = α/2.
        assertEquals(tail, poissonCdf(observed, i.upper()), 1e-9);
    }

    @Test
    void ratioIsTheCountIntervalDividedByExpected() {
        PoissonInterval.Ratio r = PoissonInterval.ratio(10, 8, 0.95);
        assertEquals(1.25, r.ratio(), 1e-12);
        assertEquals(4.795389 / 8, r.lower(), 1e-6);
        assertEquals(18.390356 / 8, r.upper(), 1e-6);
    }

    @Test
    void rejectsImpossibleInputs() {
        assertThrows(IllegalArgumentException.class, () -> PoissonInterval.exact(-1, 0.95));
        assertThrows(IllegalArgumentException.class, () -> PoissonInterval.exact(3, 1.0));
        assertThrows(IllegalArgumentException.class, () -> PoissonInterval.ratio(3, 0, 0.95));
    }

    /** P(X ≤ k) for X ~ Poisson(λ), summing the terms e^{-λ} λ^j / j! directly. */
    static double poissonCdf(int k, double lambda) {
        double term = Math.exp(-lambda);
        double sum = term;
        for (int j = 1; j <= k; j++) {
            term *= lambda / j;
            sum += term;
        }
        return sum;
    }

    @Test
    void exactUpperTailOfASmallCount() {
        // P(X ≥ 14 | E = 8.28) = 1 − Σ_{k=0..13} e^−8.28 · 8.28^k / k! = 0.0432186 (scipy poisson.sf(13, 8.28)
        // = 0.043218551262374394); the normal tail of z = 5.72 / √8.28 = 1.98782 says 0.0234148.
        double sum = 0;
        double term = Math.exp(-8.28);
        for (int k = 0; k <= 13; k++) {
            sum += term;
            term *= 8.28 / (k + 1);
        }
        assertEquals(0.0432186, 1 - sum, 1e-7);
        assertEquals(0.0432186, PoissonInterval.upperTail(14, 8.28), 1e-4);
        assertEquals(0.043218551262374394, PoissonInterval.upperTail(14, 8.28), 1e-12);
        // O 17 at E 9.84, the other false flag of the benzodiazepine theme: 0.0237335, still under 2.5 %.
        assertEquals(0.0237334646120436, PoissonInterval.upperTail(17, 9.84), 1e-12);
        assertEquals(1.0, PoissonInterval.upperTail(0, 8.28), 0.0);
        // P(X ≥ 1) = 1 − e^−E.
        assertEquals(1 - Math.exp(-2.5), PoissonInterval.upperTail(1, 2.5), 1e-14);
    }
}
