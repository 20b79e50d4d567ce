package fr.atypie.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.atypie.publish.ComplementarySuppression.Cell;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComplementarySuppressionTest {

    @Test
    void aLoneHiddenDepartmentTakesTheSmallestVisibleOneWithIt() {
        // Region 100 = 9 + 40 + 51: department A (9) would be 100 - 40 - 51.
        List<Cell> cells = List.of(new Cell("R", 100, false), new Cell("A", 9, true), new Cell("B", 40, false),
                new Cell("C", 51, false));
        assertEquals(Set.of("B"), ComplementarySuppression.complements(cells, List.of(List.of("R", "A", "B", "C"))));
    }

    @Test
    void twoHiddenCellsOrNoneNeedNothingMore() {
        List<Cell> cells = List.of(new Cell("R", 100, false), new Cell("A", 9, true), new Cell("B", 5, true),
                new Cell("C", 86, false), new Cell("R2", 50, false), new Cell("D", 20, false), new Cell("E", 30, false));
        assertEquals(Set.of(), ComplementarySuppression.complements(cells,
                List.of(List.of("R", "A", "B", "C"), List.of("R2", "D", "E"))));
    }

    @Test
    void aComplementThatLeavesAnotherSetWithOneHiddenCellIsFollowedThere() {
        // Departments: R = A + B + C, A hidden -> B (40) hidden. B is also the window of months
        // B1 + B2: B alone hidden there -> the smaller month B1 (15) too. C's months stay.
        List<Cell> cells = List.of(new Cell("R", 100, false), new Cell("A", 9, true), new Cell("B", 40, false),
                new Cell("C", 51, false), new Cell("B1", 15, false), new Cell("B2", 25, false),
                new Cell("C1", 11, false), new Cell("C2", 40, false));
        assertEquals(Set.of("B", "B1"), ComplementarySuppression.complements(cells, List.of(
                List.of("R", "A", "B", "C"), List.of("B", "B1", "B2"), List.of("C", "C1", "C2"))));
    }

    @Test
    void aHiddenTotalIsProtectedByItsSmallestLineAndTiesGoToTheSmallestKey() {
        // A list whose total (8 patients, hidden) is the sum of two lines of 12 and ... shown lines
        // would give the total back: one line is hidden, the first key among equals.
        List<Cell> cells = List.of(new Cell("total", 8, true), new Cell("line-b", 12, false), new Cell("line-a", 12, false));
        assertEquals(Set.of("line-a"), ComplementarySuppression.complements(cells,
                List.of(List.of("total", "line-a", "line-b"))));
    }

    @Test
    void unpublishedKeysAreIgnoredAndDuplicateCellsRejected() {
        List<Cell> cells = List.of(new Cell("R", 30, false), new Cell("A", 9, true), new Cell("B", 21, false));
        assertEquals(Set.of("B"), ComplementarySuppression.complements(cells, List.of(List.of("R", "A", "B", "not-published"))));
        assertThrows(IllegalArgumentException.class, () -> ComplementarySuppression.complements(
                List.of(new Cell("R", 1, true), new Cell("R", 2, false)), List.of()));
    }
}
