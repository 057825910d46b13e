-- Substring search through trigram indexes, PostgreSQL side: GIN indexes of the extension
-- pg_trgm on the folded names and the codes, which LIKE '%term%' (and LIKE 'code%') use as
-- the lists write it, for terms of 3 characters or more.
--
-- pg_trgm ships with PostgreSQL (Debian: package postgresql-NN, or postgresql-contrib) and is
-- a trusted extension: a user allowed to create objects in the database (CREATE on it) may
-- create it. Where it cannot be created (not installed, or not allowed), the migration goes
-- on without it: a NOTICE says so, no trigram index is created, and searches find the same
-- rows by reading the tables (slower at national scale). Once an administrator has run
-- CREATE EXTENSION pg_trgm, the application's user (the tables' owner) runs
--     SELECT pilotage_index_recherche();
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'extension pg_trgm indisponible (%) : la recherche par sous-chaîne fonctionnera sans index trigramme', SQLERRM;
END
$$;
-- statement
-- pilotage_index_recherche creates the trigram indexes when pg_trgm is there (in whatever
-- schema it was created), and says whether it could. They index each column concatenated
-- with '' (the same text), as the searches write it: pg_trgm's GIN operator class also serves
-- "=", and on the plain columns the planner read 50 communes by INSEE code through the
-- trigram index (10 ms instead of 0.3 ms); these expressions serve the searches only.
CREATE FUNCTION pilotage_index_recherche() RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    ops text;
BEGIN
    SELECT quote_ident(n.nspname) || '.gin_trgm_ops' INTO ops
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    IF ops IS NULL THEN
        RETURN false;
    END IF;
    EXECUTE format($f$CREATE INDEX IF NOT EXISTS communes_trigrammes ON communes USING gin
        ((nom_recherche || '') %1$s, (code_insee || '') %1$s, (codes_postaux || '') %1$s)$f$, ops);
    EXECUTE format($f$CREATE INDEX IF NOT EXISTS ecoles_trigrammes ON ecoles USING gin
        ((nom_recherche || '') %1$s, (uai || '') %1$s)$f$, ops);
    EXECUTE format($f$CREATE INDEX IF NOT EXISTS epci_trigrammes ON epci USING gin
        ((nom_recherche || '') %1$s, (siren || '') %1$s)$f$, ops);
    EXECUTE format($f$CREATE INDEX IF NOT EXISTS organisations_trigrammes ON organisations USING gin
        ((nom_recherche || '') %1$s)$f$, ops);
    EXECUTE format($f$CREATE INDEX IF NOT EXISTS contacts_trigrammes ON contacts USING gin
        ((nom_recherche || '') %1$s, (lower(fonction) || '') %1$s)$f$, ops);
    RETURN true;
END
$$;
-- statement
SELECT pilotage_index_recherche();
