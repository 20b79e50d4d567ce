package fr.atypie.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.atypie.cli.AtypieCli;
import fr.atypie.cli.ExitCodes;
import fr.atypie.errors.InputError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import fr.atypie.fs.Store;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Published targeting lists (hand-written, as the refresh writes them) → campaign history rows. */
class TargetingHistoryTest {
    static final String HEADER = "Département;Action;Rang;Dans la capacité du mois;Prescripteur;Spécialité;Patientèle (12 mois);"
            + "Libellé du segment;Excédent estimé (EUR);Montant évitable attendu (EUR);Principaux écarts;"
            + "Patients concernés (écart principal);Motif;Secret statistique";
    static final Map<String, String> THEMES = Map.of("Arrêts de travail", "sick-leave", "Antibiotiques", "antibiotics",
            "Transports", "transports", "Médicaments génériques", "generics");

    @TempDir
    Path dir;

    /** Writes OUT/month/restricted/targeting.csv as the refresh does: BOM, ';', CRLF, quotes only where needed. */
    Path month(String month, String... rows) throws IOException {
        Path publication = dir.resolve("out").resolve(month);
        Files.createDirectories(publication.resolve("restricted"));
        Files.writeString(publication.resolve(TargetingHistory.FILE),
                "\uFEFF" + HEADER + "\r\n" + String.join("\r\n", rows) + "\r\n", StandardCharsets.UTF_8);
        return publication;
    }

    Path june() throws IOException {
        return month("2024-06",
                "034;Visites DAM;1;oui;P034A;1;1200;Centre de la distribution avec potentiel de gain;5000,5;150,015;"
                        + "\"Arrêts de travail – Part des patients d'âge actif avec IJ : x1,11 (lissé x1,03) ; Transports – "
                        + "Transports prescrits par patient : x1,38 (lissé x1,22)\";145;\"Un motif avec \"\"guillemets\"\" ; et un point-virgule\";non",
                // Waiting list: not contacted.
                "034;Visites DAM;2;non;P034B;1;900;Centre de la distribution avec potentiel de gain;800;24;"
                        + "Antibiotiques – Prescriptions d'antibiotiques : x1,05 (lissé x1,02);;Motif;oui",
                "011;Échanges confraternels;1;oui;P011A;1;1500;Atypique;3000;240;"
                        + "Antibiotiques – Prescriptions d'antibiotiques par patient de 16 à 64 ans sans ALD : x1,40 (lissé x1,28);73;Motif;non",
                "034;MSO-MSAP;1;oui;P034C;1;2000;Fortement atypique;20000;4000;"
                        + "Arrêts de travail – Jours d'IJ prescrits par patient d'âge actif : x1,90 (lissé x1,60);300;Motif;non",
                // Positive feedback: praise, not an accompaniment to evaluate.
                "034;Retour positif;1;oui;P034D;1;1100;Conforme;0;0;;;Motif;non",
                "011;Visites DAM;1;oui;P011B;1;1300;Centre de la distribution avec potentiel de gain;1452,7;43,6;"
                        + "Transports – Transports prescrits par patient : x1,27 (lissé x1,09);92;Motif;non");
    }

    Path september() throws IOException {
        return month("2024-09",
                "011;Échanges confraternels;1;oui;P011C;1;1400;Atypique;900;72;"
                        + "Médicaments génériques – Part des boîtes princeps dans le répertoire des génériques : x1,30 (lissé x1,20);40;Motif;non");
    }

    static final String EXPECTED = """
            campaign;prescriber_id;action;theme;start;end;outcome
            c2024;P011B;DAM;transports;2024-07;2024-07;ciblage 2024-06
            c2024;P011A;EC;antibiotics;2024-07;2024-07;ciblage 2024-06
            c2024;P034A;DAM;sick-leave;2024-07;2024-07;ciblage 2024-06
            c2024;P034C;OBSERVATION;sick-leave;2024-07;;ciblage 2024-06
            c2024;P011C;EC;generics;2024-10;2024-10;ciblage 2024-09
            """;

    @Test
    void contactsWithinCapacityBecomeHistoryRowsInListOrderAndReadBack() throws IOException {
        Path june = june();
        Path september = september();
        Path history = dir.resolve("history/c2024.csv");
        // Folders in any order: rows come by start month, department, action, rank.
        assertEquals(ExitCodes.OK, AtypieCli.execute("history", "--from-targeting", september.toString(),
                "--from-targeting", june.toString(), "--campaign", "c2024", "--out", history.toString()));
        assertEquals(EXPECTED, Files.readString(history));

        CampaignHistory read = CampaignHistory.read(history);
        assertEquals(TargetingHistory.read(stores(june, september), "c2024", 1, ';', THEMES).history(), read);
        assertEquals(new CampaignContact("c2024", "P034C", CampaignContact.Action.OBSERVATION, "sick-leave",
                java.time.YearMonth.of(2024, 7), java.util.Optional.empty(), "ciblage 2024-06"), read.contacts().get(3));
    }

    @Test
    void theStartLagComesFromTheConfigurationAndIsRangeChecked() throws IOException {
        Path june = june();
        TargetingHistory.Result r = TargetingHistory.read(stores(june), "c", 3, ';', THEMES);
        assertEquals(List.of("2024-09", "2024-09", "2024-09", "2024-09"),
                r.history().contacts().stream().map(c -> c.start().toString()).toList());
        assertEquals(1, r.waitingList());
        assertEquals(1, r.positiveFeedback());
        Path history = dir.resolve("h.csv");
        assertEquals(ExitCodes.OK, AtypieCli.execute("history", "--from-targeting", june.toString(), "--campaign", "c",
                "--out", history.toString(), "--set", "atypie.campaigns.start-lag-months=0"));
        assertEquals("c;P011B;DAM;transports;2024-06;2024-06;ciblage 2024-06", Files.readAllLines(history).get(1));
        assertEquals(ExitCodes.BAD_CONFIG, AtypieCli.execute("history", "--from-targeting", june.toString(), "--campaign", "c",
                "--out", history.toString(), "--set", "atypie.campaigns.start-lag-months=13"));
    }

    @Test
    void missingOrMalformedTargetingFilesAreInputErrorsNamingFileColumnRowsAndReason() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("out/2024-03"));
        Path file = empty.resolve(TargetingHistory.FILE);
        InputError missing = assertThrows(InputError.class, () -> TargetingHistory.read(stores(empty), "c", 1, ';', THEMES));
        assertEquals("targeting file " + file + " not found (is its folder a month published by atypie refresh?)",
                missing.getMessage());
        assertEquals(ExitCodes.BAD_INPUT, AtypieCli.execute("history", "--from-targeting", empty.toString(), "--campaign", "c",
                "--out", dir.resolve("h.csv").toString()));

        Path noColumn = dir.resolve("out/2024-04");
        Files.createDirectories(noColumn.resolve("restricted"));
        Files.writeString(noColumn.resolve(TargetingHistory.FILE), "Département;Action;Rang;Prescripteur;Principaux écarts\n"
                + "034;Visites DAM;1;P1;Transports – x\n034;Visites DAM;2;P2;Transports – x\n");
        InputError column = assertThrows(InputError.class, () -> TargetingHistory.read(stores(noColumn), "c", 1, ';', THEMES));
        assertEquals("targeting file " + noColumn.resolve(TargetingHistory.FILE) + ": column 'Dans la capacité du mois' is missing "
                + "(2 rows; header [Département, Action, Rang, Prescripteur, Principaux écarts])", column.getMessage());

        Path bad = month("2024-05",
                "034;Visites DAM;1;peut-être;P1;1;1;S;1;1;Transports – x;20;M;non",
                "034;Visite DAM;1;oui;P2;1;1;S;1;1;Transports – x;20;M;non",
                "034;Visites DAM;2;oui;P3;1;1;S;1;1;Transports – x;20;M;non",
                "034;Visites DAM;3;oui;P4;1;1;S;1;1;Dentaire – x;20;M;non",
                "034;Visites DAM;4;oui;P5;1");
        InputError rows = assertThrows(InputError.class, () -> TargetingHistory.read(stores(bad), "c", 1, ';', THEMES));
        assertEquals("targeting file " + bad.resolve(TargetingHistory.FILE) + ": 4 malformed row(s) of 5: "
                + "row 2: column 'Dans la capacité du mois' = 'peut-être' is not oui or non; "
                + "row 3: column 'Action' = 'Visite DAM' is not one of [MSO-MSAP, Retour positif, Visites DAM, Échanges confraternels]; "
                + "row 5: column 'Principaux écarts': main driver theme 'Dentaire' is not a configured theme "
                + "[Antibiotiques, Arrêts de travail, Médicaments génériques, Transports]; "
                + "row 6: 6 fields instead of 14", rows.getMessage());
        assertEquals(ExitCodes.BAD_INPUT, AtypieCli.execute("history", "--from-targeting", bad.toString(), "--campaign", "c",
                "--out", dir.resolve("h.csv").toString()));

        InputError notAMonth = assertThrows(InputError.class,
                () -> TargetingHistory.read(stores(dir.resolve("out")), "c", 1, ';', THEMES));
        assertEquals("--from-targeting " + dir.resolve("out") + ": expected a published month folder OUT/YYYY-MM",
                notAMonth.getMessage());
    }

    /** A list re-saved by a spreadsheet in Windows-1252 is refused, not misread; "versions" names no campaign. */
    @Test
    void aListInAnotherEncodingAndAReservedCampaignIdAreRefused() throws IOException {
        Path june = june();
        Path file = june.resolve(TargetingHistory.FILE);
        Files.write(file, Files.readString(file).getBytes(java.nio.charset.Charset.forName("windows-1252")));
        InputError encoding = assertThrows(InputError.class, () -> TargetingHistory.read(stores(june), "c", 1, ';', THEMES));
        assertEquals("targeting file " + file + " cannot be read as UTF-8: Input length = 1", encoding.getMessage());

        assertEquals(ExitCodes.BAD_INPUT, AtypieCli.execute("history", "--from-targeting", june().toString(),
                "--campaign", "versions", "--out", dir.resolve("h.csv").toString()));
    }

    private static List<Store> stores(Path... folders) {
        return java.util.Arrays.stream(folders).map(Store::local).toList();
    }
}
