package fr.atypie.snds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.atypie.config.ConfigLoader;
import fr.atypie.errors.ConfigError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's code selections are configuration (atypie.dcir.codes), typed and checked at start-up. */
class CodeListsTest {

    @Test
    void theDefaultsAreTheSndsCodesTheJobSelects() {
        CodeLists c = ConfigLoader.defaults().dcir().codes();
        assertEquals(Set.of(4212, 4213, 4214), c.transports());
        assertEquals(Set.of(1, 22, 23), c.generalPractice());
        assertEquals(java.util.List.of(10, 40, 41), c.insurance().sickLeave());
        assertEquals(71, c.informationOnly());
        assertEquals(2, c.majorationFrom());
        assertEquals(39, c.selectedNatures().size());
        c.requireKnown(Nomenclatures.packaged());   // every default code is in the packaged nomenclatures
    }

    @Test
    void aBadListStopsTheJobNamingTheKeyAndTheCode(@TempDir Path dir) throws IOException {
        assertEquals("atypie.dcir.codes.transports: 3313 is also in atypie.dcir.codes.pharmacy (a line would make two events)",
                rejected(dir, "atypie.dcir.codes.transports = [4212, 3313]"));
        assertEquals("atypie.dcir.codes.consultations must not be empty", rejected(dir, "atypie.dcir.codes.consultations = []"));
        assertEquals("atypie.dcir.codes.pharmacy: 33130 is outside [0, 9999]", rejected(dir, "atypie.dcir.codes.pharmacy = [33130]"));
        assertEquals("atypie.dcir.codes.insurance: the four insurance natures must differ, found "
                        + "Insurance[sickness=10, maternity=30, workAccident=40, occupationalDisease=40]",
                rejected(dir, "atypie.dcir.codes.insurance.occupational-disease = 40"));
        // The generator's GPs must be general practice as the job defines it.
        assertEquals("atypie.synth.practitioners.specialist-codes must list no general-practice code "
                + "(atypie.dcir.codes.general-practice = [1, 22, 23]), found [22, 3]",
                rejected(dir, "atypie.synth.practitioners { specialist-codes = [22, 3], specialist-weights = [1, 1] }"));
    }

    @Test
    void aSelectedCodeTheNomenclatureLacksIsNamed() {
        CodeLists c = ConfigLoader.defaults().dcir().codes();
        Nomenclatures n = Nomenclatures.packaged();
        Set<Integer> natures = new java.util.TreeSet<>(n.natures());
        natures.removeAll(Set.of(1109, 6110));
        Set<Integer> specialties = new java.util.TreeSet<>(n.specialties());
        specialties.remove(23);
        ConfigError e = assertThrows(ConfigError.class, () -> c.requireKnown(new Nomenclatures(natures, specialties, "test")));
        assertEquals("atypie.dcir.codes.consultations: 1109 is not a nature of service of IR_NAT_V; "
                + "atypie.dcir.codes.sick-leave-ij: 6110 is not a nature of service of IR_NAT_V; "
                + "atypie.dcir.codes.general-practice: 23 is not a specialty of IR_SPE_V (checked against test)", e.getMessage());
    }

    private static String rejected(Path dir, String conf) throws IOException {
        Path f = Files.writeString(dir.resolve("codes.conf"), conf + "\n");
        return assertThrows(ConfigError.class, () -> ConfigLoader.load(Optional.of(f), Map.of())).getMessage();
    }
}
