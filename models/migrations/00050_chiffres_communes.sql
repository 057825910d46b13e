-- The écoles and pupils of each commune, kept up to date instead of counted on every page:
-- the communes list showed them through two correlated subqueries per row, computed for
-- every row skipped by OFFSET too (/communes?page=700: 0.4 s on PostgreSQL), and sorting by
-- them counted the écoles of all 35,000 communes. models/commune_figures.go recomputes them
-- in the transaction of every import of communes or écoles (the only changes that move
-- them); every commune has its row. The insert below fills them once for the data already
-- there.

CREATE TABLE chiffres_communes (
    code_insee  TEXT PRIMARY KEY REFERENCES communes (code_insee),
    nb_ecoles   BIGINT NOT NULL DEFAULT 0,
    nb_eleves   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX chiffres_communes_ecoles ON chiffres_communes (nb_ecoles, code_insee);
CREATE INDEX chiffres_communes_eleves ON chiffres_communes (nb_eleves, code_insee);

INSERT INTO chiffres_communes (code_insee, nb_ecoles, nb_eleves)
SELECT c.code_insee, COALESCE(e.n, 0), COALESCE(e.eleves, 0)
FROM communes c
LEFT JOIN (SELECT code_insee, COUNT(*) AS n, SUM(COALESCE(nb_eleves, 0)) AS eleves
    FROM ecoles GROUP BY code_insee) e ON e.code_insee = c.code_insee;

ANALYZE chiffres_communes;
