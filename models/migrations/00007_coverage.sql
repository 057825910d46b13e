-- Coverage of the charter, kept up to date instead of computed on each page (0.45 s at
-- national scale): the communes covered by each version (their own adoption, or their
-- EPCI's / EPT's when it covers its members), and per version and département the count of
-- communes and pupils, covered and in all. models/coverage_refresh.go keeps both tables
-- right in the transaction of every adoption, charter and reference-data change; the
-- inserts below fill them once for the data already there, as refreshCoverage does.

CREATE TABLE couverture_communes (
    charte_version_id  BIGINT NOT NULL REFERENCES charte_versions (id),
    code_insee         TEXT NOT NULL REFERENCES communes (code_insee),
    PRIMARY KEY (charte_version_id, code_insee)
);

CREATE TABLE couverture_departements (
    charte_version_id   BIGINT NOT NULL REFERENCES charte_versions (id),
    departement_code    TEXT NOT NULL REFERENCES departements (code),
    communes            BIGINT NOT NULL DEFAULT 0,
    communes_couvertes  BIGINT NOT NULL DEFAULT 0,
    eleves              BIGINT NOT NULL DEFAULT 0,
    eleves_couverts     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (charte_version_id, departement_code)
);

INSERT INTO couverture_communes (charte_version_id, code_insee)
SELECT a.charte_version_id, a.code_insee FROM adoptions a
    WHERE a.archived_at IS NULL AND a.code_insee IS NOT NULL
UNION SELECT a.charte_version_id, m.code_insee FROM adoptions a JOIN communes m ON m.epci_siren = a.epci_siren
    WHERE a.archived_at IS NULL AND a.couvre_membres
UNION SELECT a.charte_version_id, m.code_insee FROM adoptions a JOIN communes m ON m.ept_siren = a.epci_siren
    WHERE a.archived_at IS NULL AND a.couvre_membres;

INSERT INTO couverture_departements (charte_version_id, departement_code, communes, communes_couvertes, eleves, eleves_couverts)
SELECT v.id, c.departement_code, COUNT(*),
       SUM(CASE WHEN cc.code_insee IS NULL THEN 0 ELSE 1 END),
       COALESCE(SUM(COALESCE(e.n, 0)), 0),
       COALESCE(SUM(CASE WHEN cc.code_insee IS NULL THEN 0 ELSE COALESCE(e.n, 0) END), 0)
FROM charte_versions v CROSS JOIN communes c
LEFT JOIN couverture_communes cc ON cc.charte_version_id = v.id AND cc.code_insee = c.code_insee
LEFT JOIN (SELECT code_insee, SUM(COALESCE(nb_eleves, 0)) AS n FROM ecoles GROUP BY code_insee) e ON e.code_insee = c.code_insee
GROUP BY v.id, c.departement_code;
