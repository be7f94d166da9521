"""Reading configuration sources into plain data with positions."""
