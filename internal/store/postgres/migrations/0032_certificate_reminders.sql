-- A training certificate's holder is reminded once before it expires (§7); the day of the
-- reminder is kept so that it is sent once, whichever process sends it.
ALTER TABLE training_certificates ADD COLUMN reminded_on DATE;
