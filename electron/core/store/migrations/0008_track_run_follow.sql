ALTER TABLE `runs` ADD `resolution` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `resolved_by` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `resolution_note` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `resolved_by_run` text;--> statement-breakpoint
CREATE INDEX `runs_step_idx` ON `runs` (`step_id`,`created_at`);