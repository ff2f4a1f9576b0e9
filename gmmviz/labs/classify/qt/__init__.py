"""The classification lab in the window (its Lab class is :class:`.lab.ClassifyLab`)."""
