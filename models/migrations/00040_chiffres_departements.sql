-- The figures of each département (communes, population, écoles, pupils, EPCI and EPT), kept
-- up to date instead of computed on every home page (six correlated aggregates per
-- département re-read every commune and école: 0.25 s at national scale).
-- models/departement_figures.go recomputes them in the transaction of every import of the
-- reference data; the insert below fills them once for the data already there.

CREATE TABLE chiffres_departements (
    departement_code  TEXT PRIMARY KEY REFERENCES departements (code),
    nb_communes       BIGINT NOT NULL DEFAULT 0,
    population        BIGINT NOT NULL DEFAULT 0,
    nb_ecoles         BIGINT NOT NULL DEFAULT 0,
    nb_eleves         BIGINT NOT NULL DEFAULT 0,
    nb_epci           BIGINT NOT NULL DEFAULT 0,
    nb_ept            BIGINT NOT NULL DEFAULT 0
);

INSERT INTO chiffres_departements (departement_code, nb_communes, population, nb_ecoles, nb_eleves, nb_epci, nb_ept)
SELECT d.code,
    (SELECT COUNT(*) FROM communes c WHERE c.departement_code = d.code),
    (SELECT COALESCE(SUM(c.population), 0) FROM communes c WHERE c.departement_code = d.code),
    (SELECT COUNT(*) FROM ecoles e WHERE e.departement_code = d.code),
    (SELECT COALESCE(SUM(e.nb_eleves), 0) FROM ecoles e WHERE e.departement_code = d.code),
    (SELECT COUNT(DISTINCT c.epci_siren) FROM communes c WHERE c.departement_code = d.code),
    (SELECT COUNT(DISTINCT c.ept_siren) FROM communes c WHERE c.departement_code = d.code)
FROM departements d;
