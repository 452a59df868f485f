"""The demo's files: what each is about, the assistant's first note, and the journey it has
made so far (a pattern replayed by ``daftar.ops.demo`` through the real services).

Subjects and notes may use {year}, {last_year}, {fy}, {next_fy} and {last_fy} (Pakistan's
financial year runs July to June), filled in from the day the demo was first loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from daftar.files.models import Classification, Priority

R = Classification.RESTRICTED
C = Classification.CONFIDENTIAL
IMM = Priority.IMMEDIATE
MOST = Priority.MOST_IMMEDIATE


@dataclass(frozen=True)
class DemoFile:
    section: str  # code of the owning unit; its assistant opens the file unless ``opener``
    subject: str
    pattern: str  # see PATTERNS in daftar.ops.demo
    note: str = ""  # the first note (assistant's, or the opener's)
    priority: int = Priority.ROUTINE
    classification: int = Classification.UNCLASSIFIED
    physical: bool = False
    opener: str = ""  # post code, when not the section's assistant
    to: str = ""  # post code a file is sent across to, for the "across" patterns
    top: int = 0  # how high a "climb" goes (a level in the chain; 0 = the pattern's default)


FILES: tuple[DemoFile, ...] = (
    # --- Coordination ------------------------------------------------------------------
    DemoFile(
        "COORD",
        "Implementation status of Cabinet decisions pertaining to Water Resources Division",
        "climb",
        "Cabinet Division has asked for the implementation status of the Cabinet decisions "
        "relating to this Division by the end of the month.\n\n"
        "The status received from the Water and Development Wings has been compiled in the "
        "prescribed format and is placed below. It is submitted for approval before onward "
        "transmission to the Cabinet Division.",
        priority=IMM,
    ),
    DemoFile(
        "COORD",
        "Monthly performance report of the Division for the Prime Minister's Office",
        "put_up",
        "The monthly report on the performance of the Division is due with the Prime "
        "Minister's Office on the 5th of each month.\n\n"
        "Inputs of all Sections except Development-II have been received. The report has "
        "been prepared on the basis of the inputs received and is placed below for approval.",
    ),
    DemoFile(
        "COORD",
        "Senate Standing Committee on Water Resources: briefing on water shortage in Sindh",
        "climb_to_top",
        "The Senate Standing Committee on Water Resources will meet next week and has asked "
        "for a briefing by the Secretary on the shortage of irrigation water in Sindh during "
        "the early Kharif season.\n\n"
        "A draft briefing, prepared with the help of IRSA's figures of river flows and "
        "provincial withdrawals, is placed below for kind perusal.",
        priority=MOST,
    ),
    DemoFile(
        "COORD",
        "National Water Policy 2018: progress report for the National Water Council",
        "across",
        "The National Water Council is to review the implementation of the National Water "
        "Policy 2018 in its next meeting. A progress report on the policy's 33 objectives is "
        "required from this Division.\n\n"
        "Comments of Water-I Section on the objectives relating to transboundary waters may "
        "be obtained before the report is finalised.",
        to="SO-W1",
    ),
    DemoFile(
        "COORD",
        "Council of Common Interests: working paper on issues under the Water Apportionment "
        "Accord 1991",
        "with_officer",
        "The Inter-Provincial Coordination Division has asked for a working paper for the "
        "Council of Common Interests on the issues raised by the provinces about the Water "
        "Apportionment Accord 1991.\n\n"
        "A draft working paper is placed below for approval, please.",
        classification=R,
    ),
    DemoFile(
        "COORD",
        "Annual report of the Division for the year {last_year}",
        "closed",
        "Under the Rules of Business every Division publishes an annual report of its "
        "activities. The draft report for {last_year} has been compiled from the inputs of "
        "the Wings and is placed below.",
    ),
    DemoFile(
        "COORD",
        "Senate starred question No. 47 regarding progress of Diamer Basha Dam",
        "across_waiting",
        "The Senate Secretariat has received starred question No. 47 asking for the physical "
        "and financial progress of Diamer Basha Dam and the date of its completion.\n\n"
        "Development-I Section may kindly provide the reply and supplementary material "
        "within three days, as the question is fixed for answer in the current session.",
        priority=MOST,
        opener="SO-PARL",
        to="SO-D1",
    ),
    # --- Water-I (Indus Waters) ----------------------------------------------------------
    DemoFile(
        "W-I",
        "Meeting of the Permanent Indus Commission: brief for the Pakistan delegation",
        "climb",
        "The annual meeting of the Permanent Indus Commission under Article VIII of the Indus "
        "Waters Treaty 1960 is to be held shortly.\n\n"
        "A brief for the Pakistan delegation covering the pending issues, including the "
        "sharing of hydrological data and tours of inspection, has been prepared and is "
        "placed below for approval.",
        priority=IMM,
        classification=C,
        top=5,
    ),
    DemoFile(
        "W-I",
        "Kishenganga and Ratle hydroelectric plants: proceedings before the Court of Arbitration",
        "with_officer",
        "The Court of Arbitration has fixed the next hearing on the design of the Kishenganga "
        "and Ratle plants. The counsel for Pakistan has asked for the Division's comments on "
        "the draft memorial.\n\n"
        "Comments on the technical portions have been prepared in consultation with the "
        "Pakistan Commissioner for Indus Waters and are placed below.",
        classification=C,
    ),
    DemoFile(
        "W-I",
        "Sharing of flood data by the Indian side during the monsoon season",
        "overdue_up",
        "Under the Indus Waters Treaty the Indian side is to share advance flood information. "
        "This year's data has been received late and incomplete on several occasions.\n\n"
        "A protest may be lodged through the Pakistan Commissioner for Indus Waters. A draft "
        "letter is placed below.",
        classification=R,
    ),
    DemoFile(
        "W-I",
        "IRSA: water availability for Kharif {year} and provincial shares under the Water "
        "Apportionment Accord",
        "returned",
        "IRSA's Advisory Committee has estimated a shortage of 13 percent in the Kharif "
        "season and has worked out the provincial shares under the Accord.\n\n"
        "The estimate is submitted for information. No action is required from this Division "
        "at this stage.",
    ),
    DemoFile(
        "W-I",
        "Installation of a telemetry system at barrages on the Indus river system",
        "pulled_back",
        "IRSA has proposed a new telemetry system for real-time measurement of flows at all "
        "barrages and canal heads, at an estimated cost of Rs. 3,000 million.\n\n"
        "The PC-I received from IRSA is placed below for examination.",
    ),
    DemoFile(
        "W-I",
        "National Assembly question No. 112 regarding shortage of water at Tarbela",
        "put_up_read",
        "Question No. 112 asks the reasons for the low level of Tarbela reservoir and the "
        "steps taken to meet the shortage.\n\n"
        "A reply has been drafted on the basis of the information supplied by WAPDA and IRSA "
        "and is placed below for approval.",
        priority=MOST,
    ),
    DemoFile(
        "W-I",
        "Transboundary water issues: nominations for a course on international water law",
        "parked",
        "The Foreign Service Academy is holding a two-week course on international water law "
        "and has asked for two nominations from this Division.\n\n"
        "Nominations of two officers of Water Wing are proposed.",
    ),
    DemoFile(
        "W-I",
        "Permanent Indus Commission: annual report for the year {last_year}",
        "physical",
        physical=True,
    ),
    # --- Water-II (Flood Protection) -----------------------------------------------------
    DemoFile(
        "W-II",
        "Flood Protection Sector Project-II: release of funds to the Government of Sindh",
        "dispatch",
        "The Government of Sindh has requested the release of the second instalment of the "
        "federal share for the Flood Protection Sector Project-II.\n\n"
        "Funds are available in the PSDP allocation of the current year. A draft letter to "
        "the Finance Division for the release is placed below.",
        priority=IMM,
    ),
    DemoFile(
        "W-II",
        "Pre-monsoon inspection of flood protection embankments in Punjab",
        "closed",
        "The Federal Flood Commission has forwarded the report of the pre-monsoon inspection "
        "of flood protection embankments in Punjab.\n\n"
        "The report is placed below for information. The deficiencies pointed out have been "
        "taken up with the provincial Irrigation Department.",
    ),
    DemoFile(
        "W-II",
        "Normal/Emergent Flood Programme {fy}: schemes recommended by the Federal Flood Commission",
        "climb",
        "The Federal Flood Commission has recommended 46 schemes of the provinces for the "
        "Normal/Emergent Flood Programme of the current year.\n\n"
        "The list of schemes with their estimated costs is placed below for approval.",
    ),
    DemoFile(
        "W-II",
        "Restoration of flood protection works damaged in the 2022 floods in Balochistan",
        "across",
        "The Government of Balochistan has asked for federal funds for restoring flood "
        "protection works damaged in the 2022 floods.\n\n"
        "Budget & Accounts Section may confirm the availability of funds.",
    ),
    DemoFile(
        "W-II",
        "National Flood Protection Plan-IV: PC-I for consideration of ECNEC",
        "with_officer",
        "The PC-I of the National Flood Protection Plan-IV has been cleared by the CDWP and "
        "is to be placed before ECNEC.\n\n"
        "A summary for ECNEC is placed below for approval.",
        priority=IMM,
    ),
    DemoFile(
        "W-II",
        "Early flood warning system: procurement of weather radars through PMD",
        "put_up",
        "The Pakistan Meteorological Department has proposed the procurement of three weather "
        "radars for early flood warning, with financing from the World Bank.\n\n"
        "The proposal is placed below for examination.",
    ),
    DemoFile(
        "W-II",
        "Coordination meeting with NDMA and PMD on monsoon preparedness",
        "draft",
        "NDMA has convened a coordination meeting on monsoon preparedness. The Division is to "
        "present the status of flood protection works.\n\n"
        "A presentation is being prepared with the inputs of the Federal Flood Commission.",
    ),
    DemoFile(
        "W-II",
        "Flood protection works on river Chenab near Head Marala",
        "physical",
        physical=True,
    ),
    # --- Development-I (Dams) -------------------------------------------------------------
    DemoFile(
        "D-I",
        "Diamer Basha Dam project: release of PSDP funds for land acquisition and resettlement",
        "put_up",
        "WAPDA has requested the release of Rs. 4,500 million for land acquisition and "
        "resettlement of the Diamer Basha Dam project for the current quarter.\n\n"
        "The request is in line with the PSDP allocation and the approved cash plan. A draft "
        "letter to the Finance Division for the release of funds is placed below for "
        "approval.",
        priority=IMM,
    ),
    DemoFile(
        "D-I",
        "Mohmand Dam hydropower project: revised PC-I",
        "climb",
        "WAPDA has submitted the revised PC-I of the Mohmand Dam hydropower project. The cost "
        "has increased mainly because of the exchange rate and the price of steel and "
        "cement.\n\n"
        "The revised PC-I is placed below for examination and onward submission to the "
        "Planning Commission.",
    ),
    DemoFile(
        "D-I",
        "Construction of small dams in Potohar region (Phase-II)",
        "returned",
        "The Government of Punjab has proposed the construction of 20 small dams in the "
        "Potohar region in Phase-II, with a federal share of 50 percent.\n\n"
        "The PC-I is placed below for consideration.",
    ),
    DemoFile(
        "D-I",
        "Kurram Tangi Dam (Stage-I): quarterly progress review",
        "marked_down",
        "The quarterly progress report of the Kurram Tangi Dam (Stage-I) has been received "
        "from WAPDA. Physical progress is 72 percent against the target of 80 percent.\n\n"
        "The report is placed below for perusal.",
    ),
    DemoFile(
        "D-I",
        "Dasu hydropower project: aide memoire of the World Bank mission",
        "pulled_back",
        "The World Bank's implementation support mission has shared its aide memoire on the "
        "Dasu hydropower project.\n\n"
        "The agreed actions and their deadlines are summarised below for information and "
        "follow-up.",
    ),
    DemoFile(
        "D-I",
        "Nai Gaj Dam: revised cost estimate for the CDWP",
        "with_officer",
        "WAPDA has sent the revised cost estimate of the Nai Gaj Dam for consideration of "
        "the CDWP.\n\nThe estimate has been examined and is placed below.",
    ),
    DemoFile(
        "D-I",
        "Tarbela 5th extension hydropower project: progress of works",
        "draft",
        "WAPDA's monthly progress report on the Tarbela 5th extension hydropower project has "
        "been received.\n\n"
        "A summary of the progress is being prepared for the Secretary's review meeting.",
    ),
    DemoFile(
        "D-I",
        "Naulong Dam (Balochistan): appointment of design consultants",
        "dispatch",
        "The evaluation committee has evaluated the proposals for design consultants of the "
        "Naulong Dam under the PPRA Rules. The evaluation report is placed below.\n\n"
        "A letter to WAPDA conveying the approval is placed below for approval.",
        classification=R,
    ),
    DemoFile(
        "D-I",
        "Sedimentation of Tarbela reservoir: study report of WAPDA",
        "parked",
        "WAPDA has shared the study report on the sedimentation of Tarbela reservoir and the "
        "options for flushing.\n\nThe report is placed below for perusal.",
    ),
    DemoFile(
        "D-I",
        "Dam Safety Council: inspection report on Mangla Dam",
        "closed",
        "The Dam Safety Council has sent its periodic inspection report on Mangla Dam. No "
        "major deficiency has been found.\n\nThe report is placed below for information.",
        classification=C,
    ),
    DemoFile(
        "D-I",
        "Construction of Chiniot Dam: feasibility study",
        "returned",
        "The feasibility study of the Chiniot Dam has been received from WAPDA. The study "
        "recommends a storage of 0.9 MAF.\n\n"
        "The study is placed below for consideration.",
    ),
    # --- Development-II (Canals) -----------------------------------------------------------
    DemoFile(
        "D-II",
        "Lining of irrigation channels in Sindh: PSDP {fy}",
        "climb_read",
        "The Government of Sindh has sought the release of the federal share for the lining "
        "of irrigation channels under the PSDP of the current year.\n\n"
        "The utilisation of the previous releases has been verified. The proposal is placed "
        "below for approval.",
    ),
    DemoFile(
        "D-II",
        "Kachhi Canal project (Phase-I): remaining works and operation and maintenance",
        "overdue_up",
        "WAPDA has proposed the completion of the remaining works of the Kachhi Canal and its "
        "handing over to the Government of Balochistan for operation and maintenance.\n\n"
        "The proposal is placed below for examination.",
    ),
    DemoFile(
        "D-II",
        "Greater Thal Canal: release of funds for command area development",
        "across",
        "The Government of Punjab has requested funds for command area development of the "
        "Greater Thal Canal.\n\nBudget & Accounts Section may confirm the availability of "
        "funds.",
    ),
    DemoFile(
        "D-II",
        "Rainee Canal project: revised PC-I",
        "put_up",
        "The revised PC-I of the Rainee Canal project has been received from WAPDA.\n\n"
        "The revised PC-I is placed below for examination.",
    ),
    DemoFile(
        "D-II",
        "K-IV Greater Karachi bulk water supply scheme: federal share of funds",
        "climb_to_top",
        "The Government of Sindh has requested the release of the federal share for the K-IV "
        "scheme, which is to supply 260 million gallons a day to Karachi.\n\n"
        "The matter is to be discussed in the Prime Minister's review meeting. A brief is "
        "placed below.",
        priority=IMM,
    ),
    DemoFile(
        "D-II",
        "Remodelling of Warsak canal system",
        "returned",
        "The Government of Khyber Pakhtunkhwa has proposed the remodelling of the Warsak canal "
        "system.\n\nThe PC-I is placed below for consideration.",
    ),
    DemoFile(
        "D-II",
        "Rehabilitation of Jalalpur irrigation project: ADB loan",
        "physical",
        physical=True,
    ),
    DemoFile(
        "D-II",
        "High efficiency irrigation systems: provincial share of costs",
        "parked",
        "The provinces have asked the Federal Government to raise its share of the cost of "
        "high efficiency irrigation systems.\n\nThe proposal is placed below.",
    ),
    # --- Administration ----------------------------------------------------------------------
    DemoFile(
        "ADMN",
        "Promotion of Assistants to the post of Section Officer (BS-17): meeting of the DPC",
        "climb",
        "Four posts of Section Officer (BS-17) are vacant against the promotion quota.\n\n"
        "The working papers for the Departmental Promotion Committee have been prepared and "
        "are placed below.",
        classification=R,
    ),
    DemoFile(
        "ADMN",
        "Grant of earned leave to Mr. Ghulam Mustafa, Assistant (Water-I)",
        "so_decides",
        "Mr. Ghulam Mustafa, Assistant (Water-I), has applied for 15 days of earned leave "
        "with effect from the 1st of next month.\n\n"
        "Leave is due and admissible under the Revised Leave Rules, 1980. The application is "
        "recommended by his Section Officer.",
    ),
    DemoFile(
        "ADMN",
        "Performance evaluation reports for {last_year}: officers of BS-17 and above",
        "parked",
        "The Establishment Division has fixed the schedule for the initiation and "
        "countersigning of performance evaluation reports.\n\n"
        "Forms have been issued to all officers of BS-17 and above.",
        classification=R,
    ),
    DemoFile(
        "ADMN",
        "Procurement of IT equipment (laptops and printers) under the PPRA Rules",
        "across",
        "Twenty laptops and ten printers are required for the Division for the roll-out of "
        "e-Office.\n\n"
        "Budget & Accounts Section may confirm the availability of funds under the relevant "
        "object head.",
    ),
    DemoFile(
        "ADMN",
        "Hiring of vehicles for the Division: open tender",
        "with_officer",
        "Three vehicles are required on hire for field inspections. Bids have been invited "
        "through open tender under the PPRA Rules.\n\nThe comparative statement is placed "
        "below.",
    ),
    DemoFile(
        "ADMN",
        "Allotment of additional office rooms in Block 'A', Pak Secretariat",
        "closed",
        "The Estate Office has offered two additional rooms in Block 'A' of the Pak "
        "Secretariat.\n\nThe offer may be accepted.",
    ),
    DemoFile(
        "ADMN",
        "Training of officers and staff on e-Office: nominations",
        "put_up",
        "NITB is holding training sessions on e-Office for all Divisions. Nominations of "
        "officers and staff are required.\n\nA list of nominations is placed below.",
    ),
    DemoFile(
        "ADMN",
        "Disciplinary proceedings under the E&D Rules 2020 against an official of the Division",
        "pulled_back_kept",
        "A complaint has been received against an official of the Division. The facts were "
        "ascertained through a fact-finding inquiry.\n\nThe report is placed below.",
        classification=C,
    ),
    DemoFile(
        "ADMN",
        "Writ petition No. 1234/{year} in the Islamabad High Court (service matter)",
        "overdue_up",
        "The Islamabad High Court has issued notice in a writ petition filed by an employee "
        "about his seniority, and has asked for parawise comments.\n\n"
        "Draft parawise comments are placed below for approval.",
        priority=IMM,
    ),
    DemoFile(
        "ADMN",
        "Personal file of a retired Assistant: pension case",
        "physical",
        physical=True,
    ),
    DemoFile(
        "ADMN",
        "Medical reimbursement claims of employees",
        "so_decides",
        "Claims of five employees for reimbursement of medical charges have been received "
        "and checked against the prescribed rates.\n\nThe claims are in order.",
    ),
    # --- Budget & Accounts --------------------------------------------------------------------
    DemoFile(
        "B&A",
        "Budget estimates {next_fy}: current expenditure of the Division",
        "climb",
        "The Finance Division has asked for the budget estimates of current expenditure for "
        "the next financial year within the indicative budget ceiling.\n\n"
        "The estimates have been prepared and are placed below for approval.",
        priority=IMM,
    ),
    DemoFile(
        "B&A",
        "PSDP {next_fy}: proposals for new projects of the water sector",
        "with_officer",
        "The Planning Commission has asked for proposals for new projects for the next "
        "PSDP.\n\nThe proposals received from WAPDA and the provinces are placed below.",
    ),
    DemoFile(
        "B&A",
        "Audit paras for the year {last_fy}: meeting of the Departmental Accounts Committee",
        "climb_read",
        "The Audit has raised 14 paras on the accounts of the Division for {last_fy}. The "
        "Departmental Accounts Committee is to consider them.\n\n"
        "Replies to the paras have been prepared and are placed below.",
        priority=IMM,
    ),
    DemoFile(
        "B&A",
        "Re-appropriation of funds within the grant of the Division",
        "put_up_read",
        "Savings are expected under some object heads while others need more funds.\n\n"
        "A statement of re-appropriation is placed below for approval.",
    ),
    DemoFile(
        "B&A",
        "Public Accounts Committee: compliance of directives on the audit report of WAPDA",
        "across_waiting",
        "The Public Accounts Committee has directed the Division to report compliance of its "
        "directives on the audit report of WAPDA.\n\n"
        "Development-II Section may provide the compliance on the paras about canal "
        "projects within three days.",
        to="SO-D2",
    ),
    DemoFile(
        "B&A",
        "Surrender of savings for the current financial year",
        "draft",
        "The Finance Division has asked all Divisions to surrender their expected savings.\n\n"
        "The statement of savings is being prepared.",
    ),
    DemoFile(
        "B&A",
        "Quarterly release of development funds: second quarter",
        "closed",
        "The Finance Division has released the development funds for the second quarter.\n\n"
        "The release has been conveyed to the executing agencies.",
    ),
)
