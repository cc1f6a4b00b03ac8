-- The sender's reference of a mail ("wesend.transfer:<id>"), echoed in the "mail.delivered"
-- event once the SMTP server accepted it, so that modules can track delivery.
ALTER TABLE mail_outbox ADD COLUMN reference VARCHAR(200) NULL;
