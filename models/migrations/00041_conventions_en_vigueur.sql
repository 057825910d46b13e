-- The communes of the local conventions in force, kept up to date instead of joined from
-- every convention on every home page and alerts page (the count of communes without a
-- convention in force re-read every commune: 20 ms at national scale). One row per commune
-- of a live (not archived) local convention recorded "en vigueur", with the commune's
-- département (kept by the imports of communes) and the expiry after avenants (date_fin): a convention past its expiry is échue from that day without any write,
-- so readers compare date_fin with today. models/convention_en_vigueur.go keeps the rows of a
-- convention right in the transaction of every change of its status, dates, communes or
-- archiving; the insert below fills them once for the data already there.

CREATE TABLE conventions_en_vigueur (
    convention_id     BIGINT NOT NULL REFERENCES conventions (id),
    code_insee        TEXT NOT NULL REFERENCES communes (code_insee),
    departement_code  TEXT NOT NULL,
    date_fin          DATE,
    PRIMARY KEY (convention_id, code_insee)
);
CREATE INDEX conventions_en_vigueur_commune ON conventions_en_vigueur (code_insee, date_fin);
CREATE INDEX conventions_en_vigueur_departement ON conventions_en_vigueur (departement_code, code_insee);

INSERT INTO conventions_en_vigueur (convention_id, code_insee, departement_code, date_fin)
SELECT cc.convention_id, cc.code_insee, m.departement_code, c.date_fin
FROM convention_communes cc JOIN conventions c ON c.id = cc.convention_id JOIN communes m ON m.code_insee = cc.code_insee
WHERE c.kind = 'locale' AND c.statut = 'en_vigueur' AND c.archived_at IS NULL;
