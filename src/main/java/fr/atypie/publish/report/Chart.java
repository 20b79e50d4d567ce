package fr.atypie.publish.report;

/** A chart drawn as inline SVG. */
public interface Chart {
    String title();

    /** The SVG element; {@code id} is unique in the page (for clip paths). */
    String svg(String id);
}
