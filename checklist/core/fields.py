"""Field names of an application outside its answers, shared by every inventory format."""

INVENTORY_FORMATS = ("yaml", "json", "csv", "xlsx")  # what an inventory may be written in
CRITICALITIES = ("low", "medium", "high", "mission_critical")
FOOTPRINT_FIELDS = ("vm_count", "vcpu", "memory_gb", "disk_gb", "avg_cpu_utilization")
METADATA_COLUMNS = ("id", "name", "owner", "criticality", "depends_on", "tags")
APP_ID_PATTERN = "^[a-z0-9][a-z0-9._-]*$"
