package fr.atypie.events;

import fr.atypie.config.AtypieConfig;
import fr.atypie.quality.ValidatedExtract;
import fr.atypie.quality.Validator;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.ExtractReader;
import fr.atypie.snds.FluxSelection;
import fr.atypie.snds.FluxWindow;
import fr.atypie.snds.SndsTable;
import org.apache.spark.sql.SparkSession;

/**
 * The one way into the job: read the extract (schema checks, {@code InputError} on unusable input),
 * validate rows into kept and quarantined, then build the typed events from the kept rows. Every
 * pipeline run starts here; {@code atypie validate} runs the first two steps.
 *
 * <p>The threshold is not enforced here, so that the caller can write the quarantine and the report
 * first: call {@code result.qualityReport().requireAcceptable()} (exit 5) after writing them.
 */
public final class Ingestion {
    private Ingestion() {}

    public static IngestionResult run(SparkSession spark, ExtractLayout layout, AtypieConfig config) {
        return run(spark, layout, config, FluxSelection.ALL);
    }

    public static IngestionResult run(SparkSession spark, ExtractLayout layout, AtypieConfig config,
                                      FluxSelection flux) {
        ValidatedExtract v = validate(spark, layout, config, flux);
        return new IngestionResult(ClaimEvents.build(v.kept()), v,
                Validator.latestFlux(v.kept(SndsTable.ER_PRS_F)).map(l -> new FluxWindow(l, config.dcir().consolidationMonths())));
    }

    public static ValidatedExtract validate(SparkSession spark, ExtractLayout layout, AtypieConfig config,
                                            FluxSelection flux) {
        return new Validator(config.quality()).validate(new ExtractReader(spark, layout).readAll(flux));
    }
}
