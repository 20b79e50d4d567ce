package fr.atypie.spark;

import java.util.List;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/** Java lists as the Scala sequences some Dataset methods take (joins on named columns). */
public final class ScalaSeqs {
    private ScalaSeqs() {}

    public static Seq<String> of(List<String> names) {
        return JavaConverters.asScalaBuffer(names).toSeq();
    }
}
