"""Developer tools, not part of the dashboard: benchmark, illustrative-data generator,
boundary builder, system set-up."""
