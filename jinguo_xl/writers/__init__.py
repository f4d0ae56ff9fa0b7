"""Writers: the only code that writes .xlsx files (samples, template, master, masked copies)."""
