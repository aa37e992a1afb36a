-- FilesNotified can reach the upload service before the AnalysisCompleted/AnalysisFailed it follows (a delivery
-- of the outcome failed, e.g. during a database restart, and was redelivered after the notifier's event). The
-- file then remembers when it was notified and becomes NOTIFIED as soon as its outcome arrives, instead of
-- dropping the early FilesNotified and staying DONE/FAILED forever (found by bench/faults/run.sh).
alter table upload_file add column notified_early_at timestamptz;
