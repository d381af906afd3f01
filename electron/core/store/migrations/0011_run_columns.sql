ALTER TABLE `runs` ADD `pid` integer;--> statement-breakpoint
ALTER TABLE `runs` ADD `pid_start_time` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `pid_boot_id` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `wait_started_at` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `wait_deadline_at` text;