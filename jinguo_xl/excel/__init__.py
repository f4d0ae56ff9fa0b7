"""The Excel side: UDFs, ribbon macros and the add-in build. The only code importing xlwings."""
