"""The trained utterance coder: AnnoMI labels from a small linear model, fine codes from rules.

``coder.TrainedCoder`` is the default coder (``app.scoring.factory``); ``train`` rebuilds
``model/coder.json.gz`` from AnnoMI-format data; ``evaluate`` measures agreement with gold
labels, with cross-validation by transcript. See docs/coder.md.
"""
