package fr.atypie.config;

import fr.atypie.settings.Section;

/** The region the extract covers (a DCGDR): its code names the regional rows of the outputs. */
public record RegionSettings(String code, String name) {
    static RegionSettings from(Section s) {
        return new RegionSettings(s.string("code"), s.string("name"));
    }
}
