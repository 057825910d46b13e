-- The audit log is append-only: the database refuses to change or delete an event.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'le journal d''audit est en ajout seul');
END;
-- statement
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'le journal d''audit est en ajout seul');
END;
