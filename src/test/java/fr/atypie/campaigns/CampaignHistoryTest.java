package fr.atypie.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.errors.InputError;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignHistoryTest {
    private static final String HEADER = "campaign;prescriber_id;action;theme;start;end;outcome\r\n";
    private static final CampaignHistory.Rules RULES = new CampaignHistory.Rules(Set.of("sick-leave", "antibiotics"),
            YearMonth.of(2025, 12));
    @TempDir
    Path dir;

    private Path file(String content, Charset charset) throws IOException {
        return Files.write(dir.resolve("h.csv"), content.getBytes(charset));
    }

    @Test
    void anExcelSavedWindows1252FileWithQuotedSeparatorsReadsBack() throws IOException {
        Path h = file(HEADER + "c2024;P034A;DAM;sick-leave;2024-07;2024-07;\"refusé; à revoir\"\r\n"
                + "c2024;P034B;msap;sick-leave;2024-07;2024-12;\"dit \"\"non\"\"\"\r\n", Charset.forName("windows-1252"));
        CampaignHistory read = CampaignHistory.read(h, RULES);
        assertEquals(List.of(
                new CampaignContact("c2024", "P034A", CampaignContact.Action.DAM, "sick-leave", YearMonth.of(2024, 7),
                        Optional.of(YearMonth.of(2024, 7)), "refusé; à revoir"),
                new CampaignContact("c2024", "P034B", CampaignContact.Action.MSAP, "sick-leave", YearMonth.of(2024, 7),
                        Optional.of(YearMonth.of(2024, 12)), "dit \"non\"")), read.contacts());
        // Written back (UTF-8, quoted where needed) and read again: the same contacts.
        Path again = dir.resolve("again.csv");
        read.write(again);
        assertEquals(read, CampaignHistory.read(again, RULES));
        assertEquals("c2024;P034A;DAM;sick-leave;2024-07;2024-07;\"refusé; à revoir\"",
                Files.readAllLines(again, StandardCharsets.UTF_8).get(1));
    }

    @Test
    void everyBadLineIsNamedWithItsReason() throws IOException {
        Path h = file("\uFEFF" + HEADER
                + "../../etc;P1;DAM;sick-leave;2024-07;;\n"
                + "c;;DAM;sick-leave;2024-07;;\n"
                + "c;P3;EC;sick-leave;2024-07;2024-05;\n"
                + "c;P4;EC;astrology;2024-07;;\n"
                + "c;P5;EC;antibiotics;2099-01;;\n"
                + "c;P6;EC;antibiotics;2024-07;;ok\n", StandardCharsets.UTF_8);
        InputError e = assertThrows(InputError.class, () -> CampaignHistory.read(h, RULES));
        assertEquals("campaign history " + h + ": 5 bad line(s) of 6 (action must be one of [DAM, EC, OBSERVATION, MSO, "
                + "MSAP], months YYYY-MM): line 2: campaign id '../../etc' is not a plain name (letters, digits, '.', '_', "
                + "'-', not starting with '.'): it names output folders; line 3: empty prescriber_id; line 4: end 2024-05 "
                + "is before start 2024-07; line 5: unknown theme 'astrology' (themes: [antibiotics, sick-leave]); "
                + "line 6: start 2099-01 is after 2025-12 (a typo?)", e.getMessage());
    }

    @Test
    void safeIdsAreThoseThatCanNameAFolder() {
        assertTrue(CampaignHistory.safeId("c2024-ij_v1.2"));
        for (String bad : List.of("../../etc", "..", ".hidden", "a/b", "a\\b", "", "x..y")) {
            assertEquals(false, CampaignHistory.safeId(bad), bad);
        }
    }
}
