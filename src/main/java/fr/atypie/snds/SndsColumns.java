package fr.atypie.snds;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Every SNDS column name the job reads, spelt once. Stages refer to these constants instead of
 * scattering string literals, so a renamed column is a one-line change and a typo a compile error.
 */
public final class SndsColumns {
    private SndsColumns() {}

    // The 9 keys joining ER_PRS_F to ER_PHA_F (one claim line).
    public static final String FLX_DIS_DTD = "FLX_DIS_DTD"; // month the line entered the datamart (flux)
    public static final String FLX_TRT_DTD = "FLX_TRT_DTD";
    public static final String FLX_EMT_TYP = "FLX_EMT_TYP";
    public static final String FLX_EMT_NUM = "FLX_EMT_NUM";
    public static final String FLX_EMT_ORD = "FLX_EMT_ORD";
    public static final String ORG_CLE_NUM = "ORG_CLE_NUM";
    public static final String DCT_ORD_NUM = "DCT_ORD_NUM";
    public static final String PRS_ORD_NUM = "PRS_ORD_NUM";
    public static final String REM_TYP_AFF = "REM_TYP_AFF";
    public static final List<String> JOIN_KEYS = List.of(FLX_DIS_DTD, FLX_TRT_DTD, FLX_EMT_TYP,
            FLX_EMT_NUM, FLX_EMT_ORD, ORG_CLE_NUM, DCT_ORD_NUM, PRS_ORD_NUM, REM_TYP_AFF);

    // Patient = (BEN_NIR_PSA, BEN_RNG_GEM). Never written to any output.
    public static final String BEN_NIR_PSA = "BEN_NIR_PSA";
    public static final String BEN_RNG_GEM = "BEN_RNG_GEM";
    public static final List<String> PATIENT_KEY = List.of(BEN_NIR_PSA, BEN_RNG_GEM);
    public static final String BEN_NAI_ANN = "BEN_NAI_ANN";
    public static final String BEN_AMA_COD = "BEN_AMA_COD";
    public static final String BEN_SEX_COD = "BEN_SEX_COD";
    public static final String BEN_RES_DPT = "BEN_RES_DPT";
    public static final String BEN_DCD_DTE = "BEN_DCD_DTE";

    // ER_PRS_F: the reimbursed service line.
    public static final String PRS_NAT_REF = "PRS_NAT_REF";
    public static final String EXE_SOI_DTD = "EXE_SOI_DTD";
    public static final String EXE_SOI_DTF = "EXE_SOI_DTF";
    public static final String PFS_EXE_NUM = "PFS_EXE_NUM";
    public static final String PFS_PRE_NUM = "PFS_PRE_NUM";
    public static final String PSP_SPE_COD = "PSP_SPE_COD";
    public static final String ETB_PRE_FIN = "ETB_PRE_FIN";
    public static final String PRS_ACT_QTE = "PRS_ACT_QTE";
    public static final String PRS_ACT_NBR = "PRS_ACT_NBR";
    public static final String BSE_REM_MNT = "BSE_REM_MNT";
    public static final String PRS_PAI_MNT = "PRS_PAI_MNT";
    public static final String RGO_ASU_NAT = "RGO_ASU_NAT";
    public static final String DPN_QLF = "DPN_QLF";
    public static final String PRS_DPN_QLP = "PRS_DPN_QLP";
    public static final String CPL_MAJ_TOP = "CPL_MAJ_TOP";
    public static final String IJR_RVL_NAT = "IJR_RVL_NAT";

    // ER_PHA_F: one drug line of a pharmacy claim.
    public static final String PHA_PRS_C13 = "PHA_PRS_C13";
    public static final String PHA_ACT_QSN = "PHA_ACT_QSN";

    // IR_IMB_R: long-term illness (ALD) exemption periods.
    public static final String IMB_ALD_NUM = "IMB_ALD_NUM";
    public static final String IMB_ALD_DTD = "IMB_ALD_DTD";
    public static final String IMB_ALD_DTF = "IMB_ALD_DTF";
    public static final String MED_MTF_COD = "MED_MTF_COD";

    // DA_PRA_R: practitioners.
    public static final String PFS_PFS_NUM = "PFS_PFS_NUM";
    public static final String PFS_PRA_SPE = "PFS_PRA_SPE";
    public static final String PFS_COD_POS = "PFS_COD_POS";
    public static final String CAI_NUM = "CAI_NUM";

    // IR_PHA_R: drug referential.
    public static final String PHA_CIP_C13 = "PHA_CIP_C13";
    public static final String PHA_MED_NOM = "PHA_MED_NOM";
    public static final String PHA_ATC_C07 = "PHA_ATC_C07";
    public static final String PHA_GRS_NUM = "PHA_GRS_NUM";
    public static final String PHA_GEN_TYP = "PHA_GEN_TYP";   // generic-group role: 0 none, 1 princeps, 2 generic
    public static final String PHA_PRI_UNI = "PHA_PRI_UNI";   // public price of one box (EUR)

    /**
     * The digits of the codes that are numbers written as text, leading zeros included: Ariège's
     * department is {@code 009}, its doctors' numbers {@code 09100001}, its hospitals' FINESS
     * {@code 090780001}, its postal codes {@code 09000}. An export that typed them as numbers (SAS,
     * or a CSV typed on its way to Parquet) lost those zeros; the reader puts them back
     * ({@code ExtractReader}). Practitioner numbers are 8 digits in DA_PRA_R and on the claim lines
     * alike, so that they keep joining (the SNDS's schema declares the claim lines' columns 9 wide);
     * FINESS numbers are 9 digits (the schema declares ETB_PRE_FIN 8 wide: were its values 8
     * characters, a numeric export of a department 01 to 09 would read one zero too many).
     */
    private static final Map<String, Integer> CODE_DIGITS = Map.of(BEN_RES_DPT, 3, PFS_PFS_NUM, 8, PFS_EXE_NUM, 8,
            PFS_PRE_NUM, 8, ETB_PRE_FIN, 9, PFS_COD_POS, 5, CAI_NUM, 3);

    /** The digits of {@code column} when it is a code of numbers written with their leading zeros. */
    public static OptionalInt codeDigits(String column) {
        Integer d = CODE_DIGITS.get(column);
        return d == null ? OptionalInt.empty() : OptionalInt.of(d);
    }
}
