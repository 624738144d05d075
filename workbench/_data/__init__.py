"""Data shipped with the app (resources, sample events, examples); see workbench.resources."""
