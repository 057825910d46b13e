-- Circonscriptions kept by the administrator (models/circonscription.go): an archived
-- circonscription leaves the choices of the forms and filters; its code is never reused.

ALTER TABLE circonscriptions ADD COLUMN archived_at {{timestamp}};
