-- Indexes for the queries the first schema made scan a table:
-- a user's received transfers and their downloads (recipient, stored lower-case);
CREATE INDEX wesend_links_recipient ON wesend_links (tenant_id, kind, recipient);
-- the expiry of unfinished uploads, every minute;
CREATE INDEX wesend_uploads_expires ON wesend_uploads (expires_at);
-- retention: what has ended and still has its files, every minute;
CREATE INDEX wesend_transfers_retention ON wesend_transfers (shredded_at, state);
CREATE INDEX wesend_upload_requests_retention ON wesend_upload_requests (shredded_at, state);
-- retention: download grants past their resume window.
CREATE INDEX wesend_download_grants_counted ON wesend_download_grants (counted_at);
