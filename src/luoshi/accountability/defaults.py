"""The default ladder of measures (问责措施), mildest first: (code, name, rank, category, deduction points,
cancels 评优评先). Seeded by migration 0002 and re-seeded by `services.ensure_ladder()` when the table is
empty (a flushed database); edited afterwards in the admin or through `do_save_measure_type`."""

LADDER = [
    ("written_review", "责成书面检查", 10, "measure", "0.5", False),
    ("admonition", "诫勉教育", 20, "measure", "1", False),
    ("criticism", "通报批评", 30, "measure", "2", False),
    ("withhold_bonus", "扣发考核奖", 40, "measure", "3", False),
    ("cancel_honours", "取消当年评优评先资格", 50, "measure", "3", True),
    ("efficiency_warning", "效能告诫", 60, "measure", "4", True),
    ("suspension", "停职离岗培训或强行交流", 70, "measure", "5", True),
    ("transfer", "调离岗位", 80, "organisational", "5", True),
    ("removal", "免职", 90, "organisational", "6", True),
    ("dismissal", "解除聘用", 100, "organisational", "6", True),
    ("discipline_referral", "党纪政纪处分", 110, "referral", "0", False),
]
