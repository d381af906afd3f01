ALTER TABLE `profiles` ADD `check` text;--> statement-breakpoint
ALTER TABLE `profiles` ADD `health_state` text DEFAULT 'unknown' NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `health_reason` text;--> statement-breakpoint
ALTER TABLE `profiles` ADD `checked_at` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `profile` text;--> statement-breakpoint
CREATE INDEX `runs_profile_idx` ON `runs` (`profile`,`created_at`);--> statement-breakpoint
ALTER TABLE `tracks` ADD `waiting_login` text;