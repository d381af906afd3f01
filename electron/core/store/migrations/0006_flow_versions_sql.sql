-- Flows saved before versions existed become their own version 1, so every flow has a
-- history to diff against; who saved them was never recorded.
INSERT INTO `flow_versions` (`flow_id`, `version`, `name`, `source`, `hash`, `created_by`, `created_at`)
SELECT `id`, 1, `name`, `source`, `hash`, 'unknown (before versions)', `updated_at` FROM `flows`;
