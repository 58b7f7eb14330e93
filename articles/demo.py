"""Demo content for a fresh newsroom: sections, people, tags, photos and about thirty stories.

The Arabic text is original sample copy written for this project (fictional, plausible local news);
some stories carry full English translations. Everything goes through the models, and every story is
published through ``Article.publish()``, so the publish checklist holds for the demo as for real work.

``load_demo_content()`` is idempotent: sections and people are keyed by slug, tags by name, photos
by Arabic caption, stories by Arabic headline. What already exists is left alone, and photo files are
written to storage only for photos created in this run.
"""

import io
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from PIL import Image, ImageDraw

from .intake import create_photo
from .models import Article, ArticleAuthor, Person, Photo, Section, SupportAppeal, Tag
from .renditions import ensure_renditions
from .roles import ROLE_EDITOR, assign_role
from .text import unicode_slug

EDITOR_USERNAME = "editor"
EDITOR_PASSWORD = "newsroom-demo"  # noqa: S105 - a published demo login, never a real account's
EDITOR_PERSON = "reem"

# --------------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------------

SECTIONS = [
    # key (Arabic name, also the slug), English name
    ("سياسة", "Politics"),
    ("اقتصاد", "Economy"),
    ("مجتمع", "Society"),
    ("ثقافة", "Culture"),
    ("رأي", "Opinion"),
    ("تقارير", "Reports"),
]

# --------------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------------

PEOPLE = {
    "samer": {
        "name_ar": "سامر العلي", "name_en": "Samer al-Ali", "role": Person.Role.PHOTOGRAPHER,
        "bio_ar": "مصور صحفي من دمشق، يوثّق الحياة اليومية في المدن السورية منذ عشر سنوات.",
        "bio_en": "A photojournalist from Damascus who has documented daily life in Syrian cities "
                  "for ten years.",
    },
    "maya": {
        "name_ar": "مايا سليمان", "name_en": "Maya Suleiman", "role": Person.Role.PHOTOGRAPHER,
        "role_gender": Person.Gender.FEMININE,
        "bio_ar": "مصورة صحفية تعمل بين حمص وحلب، تهتم بقصص النساء والأطفال والعائدين إلى بيوتهم.",
        "bio_en": "A photojournalist working between Homs and Aleppo, drawn to the stories of women, "
                  "children and people returning home.",
    },
    "lina": {
        "name_ar": "لينا حداد", "name_en": "Lina Haddad", "role": Person.Role.REPORTER,
        "role_gender": Person.Gender.FEMININE,
        "bio_ar": "مراسلة في دمشق وريفها، تغطي الخدمات العامة والإدارة المحلية والاقتصاد اليومي.",
        "bio_en": "Reporter in Damascus and its countryside, covering public services, local "
                  "government and the everyday economy.",
    },
    "nour": {
        "name_ar": "نور الدين قاسم", "name_en": "Nour al-Din Kassem", "role": Person.Role.REPORTER,
        "bio_ar": "مراسل في حلب وشمال سوريا، كتب عن النزوح والعودة وعن الحياة الثقافية في مدينته.",
        "bio_en": "Reporter in Aleppo and northern Syria who writes about displacement, return and "
                  "his city's cultural life.",
    },
    "omar": {
        "name_ar": "عمر الزعبي", "name_en": "Omar al-Zoubi", "role": Person.Role.REPORTER,
        "bio_ar": "مراسل في درعا والجنوب السوري، يتابع شؤون الزراعة والمجالس المحلية.",
        "bio_en": "",
    },
    "youssef": {
        "name_ar": "يوسف الحمصي", "name_en": "Youssef al-Homsi", "role": Person.Role.WRITER,
        "bio_ar": "كاتب وصحفي من حمص، يكتب التقارير المطوّلة ومقالات الرأي عن المدينة وأهلها.",
        "bio_en": "A writer and journalist from Homs who writes long-form reports and opinion "
                  "pieces about his city and its people.",
    },
    "karim": {
        "name_ar": "كريم دياب", "name_en": "Karim Diab", "role": Person.Role.WRITER,
        "bio_ar": "باحث اقتصادي وكاتب، يكتب عن الأسعار والعملة وسبل عيش العائلات السورية.",
        "bio_en": "",
    },
    "hala": {
        "name_ar": "هالة منصور", "name_en": "Hala Mansour", "role": Person.Role.TRANSLATOR,
        "role_gender": Person.Gender.FEMININE,
        "bio_ar": "مترجمة ومحررة للنسخة الإنكليزية، وتكتب أحيانًا عن المسرح والكتب.",
        "bio_en": "Translator and editor of the English edition; she also writes about theatre "
                  "and books.",
    },
    "reem": {
        "name_ar": "ريم الشامي", "name_en": "Reem al-Shami", "role": Person.Role.EDITOR,
        "role_gender": Person.Gender.FEMININE,
        "bio_ar": "محررة أولى، تشرف على التغطية اليومية وتراجع القصص قبل نشرها.",
        "bio_en": "Senior editor who runs the daily coverage and reviews stories before they "
                  "are published.",
    },
}

# --------------------------------------------------------------------------------------------------
# Tags
# --------------------------------------------------------------------------------------------------

TAGS = [  # (Arabic, English)
    ("سوريا", "Syria"), ("دمشق", "Damascus"), ("حلب", "Aleppo"), ("حمص", "Homs"), ("درعا", "Daraa"),
    ("إدلب", "Idlib"), ("اللاذقية", "Latakia"), ("اللاجئون", "Refugees"), ("الاقتصاد", "Economy"),
    ("الانتخابات", "Elections"), ("حقوق الإنسان", "Human rights"), ("التعليم", "Education"), ("الصحة", "Health"),
    ("المياه", "Water"), ("الخبز", "Bread"), ("الثقافة", "Culture"), ("الزراعة", "Farming"),
    ("الطاقة", "Energy"), ("الإدارة المحلية", "Local government"), ("الشباب", "Youth"),
]

# --------------------------------------------------------------------------------------------------
# Photos: generated pictures (a gradient sky, a sun and a skyline) with real captions and credits
# --------------------------------------------------------------------------------------------------

PHOTOS = {
    "water": {
        "colors": ((120, 170, 210), (235, 220, 190)), "credit_person": "samer",
        "caption_ar": "صهريج يملأ خزانات المياه لسكان حي في جنوب دمشق",
        "credit_ar": "عدسة المصور سامر العلي",
        "alt_text_ar": "شاحنة صهريج متوقفة أمام بناء سكني وخراطيم ممدودة إلى السطح",
        "caption_en": "A tanker fills water tanks for residents of a neighbourhood in southern Damascus",
        "credit_en": "Photo: Samer al-Ali",
        "alt_text_en": "A tanker truck parked by a residential building, hoses running up to the roof",
    },
    "school": {
        "colors": ((250, 200, 120), (250, 240, 220)), "credit_person": "maya",
        "caption_ar": "تلاميذ يدخلون مدرستهم في أول أيام العام الدراسي بمدينة حمص",
        "credit_ar": "عدسة المصورة مايا سليمان",
        "alt_text_ar": "أطفال بحقائب مدرسية يعبرون بوابة مدرسة",
        "caption_en": "Pupils walk into their school on the first day of the school year in Homs",
        "credit_en": "Photo: Maya Suleiman",
        "alt_text_en": "Children carrying school bags walk through a school gate",
    },
    "bakery": {
        "colors": ((200, 120, 60), (245, 215, 160)), "credit_person": None,
        "caption_ar": "طابور أمام فرن عام في دمشق صباحًا",
        "credit_ar": "وكالة الأنباء المحلية",
        "alt_text_ar": "رجال ونساء يقفون في صف طويل أمام نافذة بيع الخبز",
        "caption_en": "A morning queue outside a public bakery in Damascus",
        "credit_en": "Local news agency",
        "alt_text_en": "Men and women stand in a long line at a bakery's bread window",
    },
    "citadel": {
        "colors": ((40, 40, 110), (230, 130, 80)), "credit_person": "samer",
        "caption_ar": "قلعة حلب مضاءة خلال افتتاح المهرجان الثقافي",
        "credit_ar": "عدسة المصور سامر العلي",
        "alt_text_ar": "أسوار قلعة حلب مضاءة ليلًا وحشد من الناس في الساحة أمامها",
        "caption_en": "The Citadel of Aleppo lit up for the opening of the cultural festival",
        "credit_en": "Photo: Samer al-Ali",
        "alt_text_en": "The walls of the Aleppo citadel lit at night, a crowd in the square below",
    },
    "return": {
        "colors": ((170, 190, 200), (210, 190, 150)), "credit_person": "maya",
        "caption_ar": "عائلة عائدة تنقل أمتعتها إلى بيتها في ريف حلب الجنوبي",
        "credit_ar": "عدسة المصورة مايا سليمان",
        "alt_text_ar": "رجل وأطفاله ينزلون أكياسًا وفرشًا من شاحنة صغيرة أمام بيت متضرر",
        "caption_en": "A returning family carries its belongings into their home in the southern "
                      "Aleppo countryside",
        "credit_en": "Photo: Maya Suleiman",
        "alt_text_en": "A man and his children unload bags and mattresses from a small truck "
                       "outside a damaged house",
    },
    "delegation": {
        "colors": ((90, 110, 140), (200, 205, 215)), "credit_person": None,
        "caption_ar": "وفد حكومي خلال اجتماع رسمي قبيل جولة ميدانية في المحافظات",
        "credit_ar": "موقع رئاسة الجمهورية",
        "alt_text_ar": "مسؤولون يجلسون حول طاولة اجتماعات طويلة",
        "caption_en": "A government delegation meets before a tour of the provinces",
        "credit_en": "Presidency website",
        "alt_text_en": "Officials seated around a long meeting table",
    },
    "wheat": {
        "colors": ((140, 190, 230), (225, 190, 90)), "credit_person": None,
        "caption_ar": "حقل قمح في سهل حوران قبيل موسم الحصاد",
        "credit_ar": "وكالة الأنباء المحلية",
        "alt_text_ar": "سنابل قمح صفراء تمتد حتى الأفق تحت سماء صافية",
        "caption_en": "A wheat field on the Hauran plain shortly before the harvest",
        "credit_en": "Local news agency",
        "alt_text_en": "Yellow ears of wheat stretching to the horizon under a clear sky",
    },
    "solar": {
        "colors": ((100, 160, 220), (240, 240, 235)), "credit_person": "samer",
        "caption_ar": "ألواح للطاقة الشمسية وأسلاك كهرباء فوق أسطح الأبنية",
        "credit_ar": "عدسة المصور سامر العلي",
        "alt_text_ar": "ألواح شمسية مائلة على أسطح متلاصقة تتشابك فوقها أسلاك الكهرباء",
        "caption_en": "Solar panels and power lines on the rooftops",
        "credit_en": "Photo: Samer al-Ali",
        "alt_text_en": "Tilted solar panels on adjoining rooftops under a tangle of power lines",
    },
    "clinic": {
        "colors": ((180, 210, 210), (245, 245, 240)), "credit_person": None,
        "caption_ar": "قاعة الانتظار في مركز الرعاية الصحية الأولية الجديد في إدلب",
        "credit_ar": "المكتب الإعلامي لمديرية الصحة في إدلب",
        "alt_text_ar": "نساء وأطفال ينتظرون على مقاعد في ممر مركز صحي",
        "caption_en": "The waiting room of the new primary health care centre in Idlib",
        "credit_en": "Idlib health directorate media office",
        "alt_text_en": "Women and children waiting on benches in a clinic corridor",
    },
    "market": {
        "colors": ((60, 50, 70), (200, 150, 100)), "credit_person": "maya",
        "caption_ar": "متسوقون في أحد أسواق دمشق القديمة",
        "credit_ar": "عدسة المصورة مايا سليمان",
        "alt_text_ar": "سوق مسقوف مزدحم بالمارة ومحال على الجانبين",
        "caption_en": "Shoppers in one of the old markets of Damascus",
        "credit_en": "Photo: Maya Suleiman",
        "alt_text_en": "A crowded covered market lined with shops on both sides",
    },
    "council": {
        "colors": ((150, 130, 110), (230, 225, 210)), "credit_person": "samer",
        "caption_ar": "أعضاء مجلس محلي خلال جلسة علنية حضرها الأهالي",
        "credit_ar": "عدسة المصور سامر العلي",
        "alt_text_ar": "قاعة اجتماعات فيها أعضاء المجلس على منصة وصفوف من الحضور",
        "caption_en": "Members of a local council during a public session attended by residents",
        "credit_en": "Photo: Samer al-Ali",
        "alt_text_en": "A meeting hall with council members on a platform and rows of residents",
    },
    "books": {
        "colors": ((120, 60, 60), (240, 210, 170)), "credit_person": "maya",
        "caption_ar": "زوار يتصفحون الكتب في أحد أجنحة معرض الكتاب بدمشق",
        "credit_ar": "عدسة المصورة مايا سليمان",
        "alt_text_ar": "رفوف كتب وزوار يقلّبون الروايات أمام جناح دار نشر",
        "caption_en": "Visitors browse books at a stand of the Damascus book fair",
        "credit_en": "Photo: Maya Suleiman",
        "alt_text_en": "Bookshelves and visitors leafing through novels at a publisher's stand",
    },
    "coast": {
        "colors": ((70, 130, 190), (190, 220, 235)), "credit_person": None,
        "caption_ar": "الواجهة البحرية لمدينة اللاذقية قرب المرفأ",
        "credit_ar": "وكالة الأنباء المحلية",
        "alt_text_ar": "البحر ورافعات المرفأ في الخلفية وشاطئ رملي في المقدمة",
        "caption_en": "The Latakia seafront near the port",
        "credit_en": "Local news agency",
        "alt_text_en": "The sea with port cranes in the background and a sandy beach in front",
    },
}

# --------------------------------------------------------------------------------------------------
# Articles
#
# Bodies are lists of blocks: a plain string is a paragraph, "## …" a subheading, "> …" a quotation,
# and a list is a bulleted list. ``ago`` is (days, hours) before the load; drafts have no ``ago``.
# ``updated_after`` (hours) makes a story show as edited after publication; others were not.
# --------------------------------------------------------------------------------------------------

ARTICLES = [
    # ---- Society -------------------------------------------------------------------------------
    {
        "key": "water", "section": "مجتمع", "authors": ["lina"], "photo": "water",
        "tags": ["دمشق", "المياه", "الإدارة المحلية"], "ago": (0, 3), "top": True, "updated_after": 2,
        "related": ["electricity", "bread"],
        "headline_ar": "أحياء جنوب دمشق بلا مياه منذ أسبوعين والصهاريج بديل مكلف",
        "summary_ar": "يشتكي سكان ثلاثة أحياء في جنوب دمشق من انقطاع مياه الشبكة منذ أسبوعين، فيما "
                      "تقول مؤسسة المياه إن عطلًا في محطة الضخ الرئيسية سيُصلح خلال أيام.",
        "body_ar": [
            "<strong>دمشق —</strong> منذ أسبوعين تقريبًا لم تصل مياه الشبكة إلى بيوت كثيرة في أحياء "
            "جنوب دمشق، واضطرت العائلات إلى شراء المياه من الصهاريج الخاصة التي تجوب الشوارع منذ "
            "الصباح الباكر.",
            "تقول أم خالد، وهي أم لأربعة أطفال تسكن في الطابق الثالث من بناء قديم، إنها تدفع ثمن خزان "
            "واحد كل ثلاثة أيام: «نقتصد في كل شيء، في الغسيل والاستحمام والطبخ، ومع ذلك لا يكفي "
            "الخزان أكثر من ثلاثة أيام».",
            "## عطل في محطة الضخ",
            "وأوضح مصدر في المؤسسة العامة لمياه الشرب، طلب عدم ذكر اسمه لأنه غير مخوّل بالتصريح، أن "
            "مضختين من أصل أربع في محطة الضخ الرئيسية خرجتا عن الخدمة بسبب تذبذب التيار الكهربائي، وأن "
            "قطع الغيار وصلت وبدأ تركيبها.",
            "وأضاف المصدر أن المؤسسة وضعت جدولًا مؤقتًا لتوزيع المياه بالتناوب بين الأحياء إلى حين "
            "انتهاء الإصلاح، وأن الجدول سيُنشر على صفحتها الرسمية.",
            "## أسعار بلا رقابة",
            "ورصدت جولتنا تفاوتًا كبيرًا في أسعار الصهاريج بين حي وآخر، إذ يتغير سعر الخزان الواحد "
            "بحسب سعته وبُعد الحي عن مصدر التعبئة، ويشكو السكان من غياب أي رقابة على هذه الأسعار.",
            "> «الماء ليس رفاهية. من لا يملك ثمن الصهريج ينتظر دوره عند الجامع، حيث يوزّع فاعلو خير "
            "المياه مجانًا مرتين في الأسبوع»، يقول أبو سامي، صاحب بقالة في الحي.",
            "ويطالب السكان بتحديد سعر رسمي لمياه الصهاريج خلال فترة الانقطاع، وبإعلان موعد واضح لعودة "
            "الضخ بدل الوعود المتكررة.",
        ],
        "headline_en": "Southern Damascus neighbourhoods have had no water for two weeks, "
                       "leaving costly tankers as the only option",
        "summary_en": "Residents of three neighbourhoods in southern Damascus say mains water has not "
                      "reached their homes for two weeks; the water authority blames a fault at the "
                      "main pumping station that it says will be fixed within days.",
        "body_en": [
            "<strong>DAMASCUS —</strong> For almost two weeks, mains water has not reached many homes "
            "in the neighbourhoods of southern Damascus, and families have had to buy water from the "
            "private tankers that tour the streets from early morning.",
            "Umm Khaled, a mother of four who lives on the third floor of an old building, says she "
            "pays for a full tank every three days: \u201cWe save on everything, washing, bathing, "
            "cooking, and still a tank does not last more than three days.\u201d",
            "## A fault at the pumping station",
            "A source at the public drinking-water authority, who asked not to be named because he is "
            "not authorised to speak, said two of the four pumps at the main pumping station had "
            "broken down because of an unstable power supply, and that spare parts had arrived and "
            "were being fitted.",
            "The authority has drawn up a temporary rota to share water between neighbourhoods until "
            "the repair is finished, the source added, and will publish it on its official page.",
            "## Prices nobody checks",
            "Our reporter found tanker prices varying widely from one neighbourhood to the next: the "
            "price of a tank depends on its size and on how far the neighbourhood is from the filling "
            "point, and residents complain that nobody controls these prices.",
            "> \u201cWater is not a luxury. Those who cannot pay for a tanker wait their turn at the "
            "mosque, where donors hand out water for free twice a week,\u201d says Abu Sami, who runs "
            "a grocery in the neighbourhood.",
            "Residents want an official price for tanker water while the outage lasts, and a clear "
            "date for the pumps to restart instead of repeated promises.",
        ],
    },
    {
        "key": "schools", "section": "مجتمع", "authors": ["youssef"], "photo": "school",
        "tags": ["حمص", "التعليم"], "ago": (2, 5), "related": ["teachers", "school-oped"],
        "headline_ar": "المدارس تفتح أبوابها في حمص بعد ترميم ثلاثين صفًا",
        "summary_ar": "عاد نحو أربعة آلاف تلميذ إلى خمس مدارس في أحياء حمص القديمة بعد ترميم ثلاثين "
                      "غرفة صفية خلال الصيف، لكن نقص المقاعد والمعلمين ما زال قائمًا.",
        "body_ar": [
            "<strong>حمص —</strong> امتلأت صباح الأحد باحات خمس مدارس في أحياء حمص القديمة بالتلاميذ "
            "وأهاليهم، بعد صيف أمضاه عمّال ومتطوعون في ترميم ثلاثين غرفة صفية تضررت جدرانها ونوافذها "
            "خلال السنوات الماضية.",
            "وقالت مديرة إحدى المدارس إن عدد المسجلين هذا العام تجاوز عددهم في العام الماضي بنحو "
            "الثلث، بعد عودة عائلات إلى الحي: «فرحنا بالأعداد، لكننا نحتاج إلى مقاعد إضافية، فبعض "
            "الصفوف تضم أكثر من خمسين تلميذًا».",
            "## نقص في المعلمين",
            "ويشكو الأهالي من نقص في معلمي الرياضيات واللغة الإنكليزية، إذ تعتمد بعض المدارس على "
            "معلمين وكلاء بعقود مؤقتة. وتقول مديرية التربية إنها أعلنت عن مسابقة لتعيين معلمين جدد "
            "ستُجرى قبل نهاية الفصل الأول.",
            [
                "ثلاثون غرفة صفية رُممت خلال الصيف",
                "نحو أربعة آلاف تلميذ في المدارس الخمس",
                "مسابقة لتعيين معلمين قبل نهاية الفصل الأول",
            ],
            "أما التلاميذ فكانوا مشغولين بأمور أخرى. تقول سلمى، تسع سنوات، وهي تشير إلى نافذة صفها "
            "الجديدة: «صار عندنا زجاج، ولن نبرد هذا الشتاء».",
        ],
        "headline_en": "Homs schools reopen after thirty classrooms are restored",
        "summary_en": "About four thousand pupils are back in five schools in the old quarters of "
                      "Homs after thirty classrooms were repaired over the summer, but desks and "
                      "teachers are still in short supply.",
        "body_en": [
            "<strong>HOMS —</strong> On Sunday morning the yards of five schools in the old quarters "
            "of Homs filled with pupils and parents, after a summer in which builders and volunteers "
            "restored thirty classrooms whose walls and windows had been damaged over the past years.",
            "The head of one of the schools said enrolment this year was about a third higher than "
            "last year, as families have moved back to the area: \u201cWe are glad of the numbers, "
            "but we need more desks. Some classes have more than fifty pupils.\u201d",
            "## Not enough teachers",
            "Parents complain of a shortage of mathematics and English teachers, with some schools "
            "relying on substitute teachers on temporary contracts. The education directorate says "
            "it has announced a recruitment exam for new teachers before the end of the first term.",
            [
                "Thirty classrooms restored over the summer",
                "About four thousand pupils in the five schools",
                "A teacher recruitment exam before the end of the first term",
            ],
            "The pupils had other things on their minds. Salma, nine, pointing at her classroom's new "
            "window: \u201cWe have glass now. We won't be cold this winter.\u201d",
        ],
    },
    {
        "key": "return", "section": "مجتمع", "authors": ["nour", "maya"], "photo": "return",
        "tags": ["حلب", "اللاجئون", "الزراعة"], "ago": (5, 2), "related": ["camps"],
        "headline_ar": "عائلات تعود إلى ريف حلب الجنوبي وتبدأ من الصفر",
        "summary_ar": "بعد سنوات من النزوح، عادت عشرات العائلات إلى قرى في ريف حلب الجنوبي لتجد بيوتها "
                      "مدمّرة جزئيًا وأراضيها بحاجة إلى سنوات من العمل.",
        "body_ar": [
            "<strong>ريف حلب —</strong> وصل أبو أحمد إلى قريته في ريف حلب الجنوبي بعد تسع سنوات قضاها "
            "في مخيم قرب الحدود. لم يجد من بيته سوى غرفتين بلا سقف، وشجرة زيتون واحدة نجت من الحطّابين "
            "والجفاف.",
            "«بدأنا من الصفر، لكن الصفر هنا أفضل من أي شيء في الخيمة»، يقول الرجل الستيني وهو يرفع "
            "حجارة السور المتهدم بمساعدة أبنائه.",
            "## عودة بطيئة",
            "وبحسب لجنة أهلية في المنطقة، عادت نحو ستين عائلة خلال الأشهر الثلاثة الماضية إلى خمس قرى "
            "متجاورة، وهو رقم صغير مقارنة بعدد السكان قبل النزوح. ويعزو العائدون بطء العودة إلى غياب "
            "الخدمات الأساسية، فلا مدرسة تعمل في القرى الخمس، وأقرب مركز صحي يبعد عشرين كيلومترًا.",
            "كما يواجه العائدون مشكلة إثبات الملكية، إذ فقد كثيرون وثائقهم خلال سنوات النزوح. وتعمل "
            "منظمة محلية على مساعدة العائلات في استخراج الأوراق اللازمة بالتعاون مع المجلس المحلي.",
            "> «الأرض تنتظر من يحرثها، والناس ينتظرون من يعيد الكهرباء والماء. إذا جاءت الخدمات سيعود "
            "الجميع»، تقول أم عبدو، إحدى العائدات.",
            "ويأمل العائدون أن يتمكنوا من زراعة أراضيهم هذا الموسم قبل أن يفوت أوان البذار.",
        ],
        "headline_en": "Families return to the southern Aleppo countryside and start from scratch",
        "summary_en": "After years of displacement, dozens of families have returned to villages in "
                      "the southern Aleppo countryside to find their houses partly destroyed and "
                      "their land in need of years of work.",
        "body_en": [
            "<strong>ALEPPO COUNTRYSIDE —</strong> Abu Ahmad reached his village in the southern "
            "Aleppo countryside after nine years in a camp near the border. Of his house he found "
            "only two rooms without a roof, and a single olive tree that had survived the woodcutters "
            "and the drought.",
            "\u201cWe started from zero, but zero here is better than anything in the tent,\u201d says "
            "the man in his sixties as he and his sons lift the stones of a collapsed wall.",
            "## A slow return",
            "According to a residents' committee, about sixty families have come back to five "
            "neighbouring villages over the past three months, a small number compared with the "
            "population before the displacement. Returnees put the slow pace down to the lack of "
            "basic services: no school is open in the five villages, and the nearest clinic is twenty "
            "kilometres away.",
            "Returnees also struggle to prove ownership, since many lost their documents during the "
            "years of displacement. A local organisation is helping families obtain the papers they "
            "need, working with the local council.",
            "> \u201cThe land is waiting for someone to plough it, and people are waiting for someone "
            "to bring back electricity and water. If the services come, everyone will come "
            "back,\u201d says Umm Abdo, one of the returnees.",
            "The returnees hope to be able to farm their land this season, before it is too late to "
            "sow.",
        ],
    },
    {
        "key": "clinic", "section": "مجتمع", "authors": ["nour"], "photo": "clinic",
        "tags": ["إدلب", "الصحة"], "ago": (9, 4),
        "headline_ar": "مركز صحي جديد في إدلب يخفف الضغط عن المشفى الوطني",
        "summary_ar": "افتُتح في مدينة إدلب مركز للرعاية الصحية الأولية يقدم خدمات الأمومة والطفولة "
                      "واللقاحات وأدوية الأمراض المزمنة، في محاولة لتخفيف الازدحام في قسم الإسعاف.",
        "body_ar": [
            "<strong>إدلب —</strong> استقبل مركز الرعاية الصحية الأولية الجديد في إدلب أكثر من ثلاثمئة "
            "مراجع في أسبوعه الأول، معظمهم من النساء والأطفال وكبار السن المصابين بأمراض مزمنة.",
            "ويضم المركز عيادات للأمومة والطفولة والأمراض الداخلية والأسنان، إضافة إلى قسم للقاحات "
            "وصيدلية تصرف الأدوية الأساسية مجانًا. ويقول مدير المركز إن الهدف «أن يجد المريض العلاج "
            "قرب بيته، فلا يذهب إلى الإسعاف إلا من يحتاج إلى الإسعاف».",
            "## أدوية الأمراض المزمنة",
            "وكان مرضى السكري وارتفاع الضغط يضطرون إلى مراجعة قسم الإسعاف في المشفى الوطني للحصول على "
            "أدويتهم الشهرية، ما كان يتسبب بازدحام كبير فيه. ويأمل الأطباء أن يخفف المركز الجديد هذا "
            "الضغط.",
            "لكن العاملين في المركز يشيرون إلى أن مخزون بعض الأدوية لا يكفي لأكثر من شهرين، وأن "
            "استمرار الخدمة مرهون بتجديد التمويل.",
        ],
    },
    {
        "key": "beach", "section": "مجتمع", "authors": ["hala"], "photo": "coast",
        "tags": ["اللاذقية", "الشباب"], "ago": (16, 6),
        "headline_ar": "متطوعون ينظفون شاطئ اللاذقية ويجمعون طنين من النفايات في يوم واحد",
        "summary_ar": "شارك نحو مئتي متطوع، معظمهم من طلاب الجامعة، في حملة لتنظيف الشاطئ الشمالي "
                      "لمدينة اللاذقية.",
        "body_ar": [
            "<strong>اللاذقية —</strong> منذ السابعة صباحًا توزّع نحو مئتي متطوع على امتداد الشاطئ "
            "الشمالي لمدينة اللاذقية، يحملون أكياسًا وقفازات، في حملة نظمتها مجموعة من طلاب الجامعة "
            "بالتعاون مع مجلس المدينة.",
            "وجمع المتطوعون خلال ست ساعات ما يقارب طنين من النفايات، كان أكثرها من:",
            [
                "العبوات والأكياس البلاستيكية",
                "أعقاب السجائر",
                "شباك الصيد الممزقة وبقايا الحبال",
            ],
            "وتقول ليال، طالبة في كلية الهندسة البيئية وإحدى منظمات الحملة، إن الهدف ليس تنظيف الشاطئ "
            "ليوم واحد فقط: «نريد أن يرى الناس حجم ما نرميه، وأن يطالبوا بحاويات كافية على الشاطئ». "
            "ويعد المنظمون بتكرار الحملة مرة كل شهر حتى نهاية الصيف.",
        ],
    },
    {
        "key": "coding", "section": "مجتمع", "authors": ["nour"], "photo": "school",
        "lead_photo_caption_ar": "شبان وشابات في أحد صفوف مبادرة تعليم البرمجة في حلب",
        "tags": ["حلب", "الشباب", "التعليم"], "ago": (23, 3),
        "headline_ar": "شباب حلب يطلقون مبادرة مجانية لتعليم البرمجة",
        "summary_ar": "أطلق مهندسون شباب في حلب دورات مجانية في البرمجة وتصميم المواقع، يحضرها طلاب "
                      "وعاطلون عن العمل يبحثون عن مهنة يمكن ممارستها عن بعد.",
        "body_ar": [
            "<strong>حلب —</strong> في قاعة صغيرة استأجرها بأجر رمزي من جمعية خيرية، يقف مهند أمام "
            "سبورة بيضاء ويشرح لعشرين شابًا وشابة كيف تعمل الحلقات التكرارية في البرمجة.",
            "مهند واحد من خمسة مهندسين أطلقوا قبل ستة أشهر مبادرة لتعليم البرمجة مجانًا، بعد أن لاحظوا "
            "أن كثيرًا من خريجي الجامعات في المدينة لا يجدون عملًا في اختصاصهم.",
            "ويقول إن بعض المتدربين بدأوا فعلًا العمل لحساب شركات خارج البلاد عبر الإنترنت، «لكن "
            "الكهرباء والإنترنت ما زالا أكبر عقبة. أحيانًا نؤجل الدرس لأن المولدة توقفت».",
            "وتعتمد المبادرة على تبرعات صغيرة من مغتربين من أبناء المدينة لتغطية أجرة القاعة والمولدة، "
            "وتستقبل طلبات الانضمام للدورة القادمة حتى نهاية الشهر.",
        ],
    },
    # ---- Politics ------------------------------------------------------------------------------
    {
        "key": "council", "section": "سياسة", "authors": ["youssef"], "photo": "council",
        "tags": ["حمص", "الإدارة المحلية"], "ago": (1, 7), "related": ["local-law"],
        "headline_ar": "المجلس المحلي في حمص يفتح جلساته للأهالي للمرة الأولى",
        "summary_ar": "عقد المجلس المحلي لمدينة حمص أول جلسة علنية يحضرها السكان ويطرحون فيها أسئلتهم "
                      "مباشرة على الأعضاء، وتصدّرت النقاشَ النظافةُ والمواصلات.",
        "body_ar": [
            "<strong>حمص —</strong> جلس نحو مئة من سكان حمص مساء الثلاثاء في قاعة المجلس المحلي، في "
            "أول جلسة يُسمح فيها للأهالي بالحضور وطرح الأسئلة على الأعضاء مباشرة.",
            "وخصص المجلس الساعة الأولى لعرض ميزانية الربع الأخير والمشاريع المنفذة، قبل أن يفتح باب "
            "الأسئلة. وتركزت مداخلات الحاضرين على تراكم القمامة في بعض الأحياء، وقلة حافلات النقل "
            "الداخلي في ساعات الذروة.",
            "## وعود بجدول زمني",
            "وتعهّد رئيس المجلس بنشر جدول زمني لمشاريع النظافة والإنارة على لوحة الإعلانات وعلى الصفحة "
            "الرسمية للمجلس، وبأن تُعقد الجلسات العلنية مرة كل شهر.",
            "ورأى بعض الحاضرين في الجلسة خطوة إيجابية، فيما قال آخرون إن العبرة بالتنفيذ. يقول سامر، "
            "وهو صاحب محل لتصليح الهواتف: «سمعنا وعودًا كثيرة من قبل. سنحضر الجلسة القادمة لنرى ماذا "
            "تحقق».",
        ],
        "headline_en": "Homs local council opens its sessions to residents for the first time",
        "summary_en": "The local council of Homs held its first public session, with residents "
                      "putting questions directly to its members; rubbish collection and transport "
                      "topped the discussion.",
        "body_en": [
            "<strong>HOMS —</strong> About a hundred Homs residents sat in the local council's hall "
            "on Tuesday evening, at the first session in which the public has been allowed to attend "
            "and question members directly.",
            "The council spent the first hour presenting the last quarter's budget and completed "
            "projects before opening the floor. Residents' questions centred on rubbish piling up in "
            "some neighbourhoods and the shortage of city buses at rush hour.",
            "## Promises of a timetable",
            "The head of the council promised to publish a timetable for cleaning and street-lighting "
            "projects on the notice board and on the council's official page, and to hold a public "
            "session every month.",
            "Some of those present called the session a step forward; others said what matters is "
            "what gets done. \u201cWe have heard many promises before,\u201d says Samer, who runs a "
            "phone repair shop. \u201cWe will come to the next session to see what has "
            "happened.\u201d",
        ],
    },
    {
        "key": "voters", "section": "سياسة", "authors": ["lina"], "photo": "council",
        "tags": ["دمشق", "الانتخابات", "الإدارة المحلية"], "ago": (4, 1),
        "headline_ar": "لجنة الانتخابات البلدية تنشر القوائم الأولية للناخبين في ريف دمشق",
        "summary_ar": "نشرت لجنة الانتخابات البلدية القوائم الأولية للناخبين في مدن وبلدات ريف دمشق، "
                      "ومنحت السكان أسبوعين لتقديم الاعتراضات وتصحيح الأخطاء.",
        "body_ar": [
            "<strong>ريف دمشق —</strong> عُلّقت القوائم الأولية للناخبين على جدران مراكز البلديات في "
            "ريف دمشق منذ صباح الأحد، تمهيدًا للانتخابات البلدية المقررة بعد شهرين.",
            "وقالت اللجنة في بيان إن من حق كل مواطن التحقق من ورود اسمه في القائمة الخاصة بمنطقة "
            "سكنه، وتقديم اعتراض خلال أسبوعين إذا لم يجد اسمه أو وجد خطأً في بياناته.",
            "## المهجّرون والقيود",
            "وأثارت القوائم تساؤلات بين السكان الذين نزحوا داخل المحافظة وما زالت قيودهم مسجلة في "
            "بلداتهم الأصلية. ويسأل هؤلاء أين سيصوّتون، وهل يحق لهم الترشح في أماكن إقامتهم الحالية.",
            "ولم تُجب اللجنة بعد عن هذه الأسئلة بالتفصيل، واكتفت بالقول إن «تعليمات تنفيذية ستصدر "
            "قريبًا». وتطالب مبادرات مدنية بنشر القوائم على الإنترنت لتسهيل التحقق منها، بدل الاكتفاء "
            "بتعليقها في مراكز البلديات.",
        ],
        "headline_en": "Municipal election committee publishes provisional voter lists for the "
                       "Damascus countryside",
        "summary_en": "The municipal election committee has published provisional voter lists for "
                      "the towns of the Damascus countryside, giving residents two weeks to object "
                      "and correct mistakes.",
        "body_en": [
            "<strong>DAMASCUS COUNTRYSIDE —</strong> Provisional voter lists have been pinned to the "
            "walls of municipal offices across the Damascus countryside since Sunday morning, ahead of "
            "municipal elections due in two months.",
            "In a statement, the committee said every citizen may check that their name appears on "
            "the list for the area where they live, and may lodge an objection within two weeks if it "
            "is missing or their details are wrong.",
            "## The displaced and the registers",
            "The lists have raised questions among residents who were displaced within the province "
            "and are still registered in their home towns. They ask where they will vote, and whether "
            "they may stand as candidates where they now live.",
            "The committee has not yet answered these questions in detail, saying only that "
            "\u201cimplementing instructions will be issued soon\u201d. Civic groups are asking for "
            "the lists to be published online so they are easier to check, rather than only pinned "
            "up in municipal offices.",
        ],
    },
    {
        "key": "missing", "section": "سياسة", "authors": ["lina", "youssef"], "photo": "council",
        "lead_photo_caption_ar": "ممثلون عن منظمات حقوقية خلال مؤتمر صحفي مشترك في دمشق",
        "lead_photo_caption_en": "Representatives of rights groups at a joint press conference in "
                                 "Damascus",
        "tags": ["دمشق", "حقوق الإنسان", "سوريا"], "ago": (7, 5),
        "headline_ar": "منظمات حقوقية تطالب بسجل وطني موحّد للمفقودين",
        "summary_ar": "دعت منظمات حقوقية سورية إلى إنشاء سجل وطني موحّد للمفقودين، يجمع بيانات العائلات "
                      "ويتيح لها متابعة ملفات ذويها دون خوف.",
        "body_ar": [
            "<strong>دمشق —</strong> طالبت ست منظمات حقوقية سورية، في مؤتمر صحفي مشترك، بإنشاء سجل "
            "وطني موحّد للمفقودين تشرف عليه جهة مستقلة، وتُحفظ فيه بيانات العائلات التي تبحث عن ذويها.",
            "وقالت المنظمات إن آلاف العائلات ما زالت تجهل مصير أبنائها، وإن تعدد الجهات التي تجمع "
            "البيانات يشتت الجهود ويجبر العائلات على رواية قصصها المؤلمة مرات كثيرة أمام جهات مختلفة.",
            "## مطالب محددة",
            [
                "سجل واحد تشرف عليه هيئة مستقلة بمشاركة ممثلين عن العائلات",
                "حماية بيانات العائلات والشهود وعدم استخدامها لأي غرض آخر",
                "إتاحة الوصول إلى الأرشيفات الرسمية ومواقع الدفن",
            ],
            "> «لا نطلب المستحيل. نريد أن نعرف. المعرفة وحدها بداية العدالة»، قالت ممثلة عن رابطة "
            "لعائلات المفقودين خلال المؤتمر.",
            'ولم يصدر حتى الآن تعليق رسمي على المطالب. ويمكن الاطلاع على '
            '<a href="https://example.org/missing-persons-statement">نص البيان المشترك</a> كاملًا.',
        ],
        "headline_en": "Rights groups call for a single national register of the missing",
        "summary_en": "Syrian human rights organisations have called for a single national register "
                      "of missing persons that gathers families' information and lets them follow "
                      "their relatives' cases without fear.",
        "body_en": [
            "<strong>DAMASCUS —</strong> Six Syrian human rights organisations, at a joint press "
            "conference, called for a single national register of missing persons overseen by an "
            "independent body, holding the information of families searching for their relatives.",
            "The organisations said thousands of families still do not know what happened to their "
            "sons and daughters, and that the many bodies collecting information scatter the effort "
            "and force families to tell their painful stories over and over again.",
            "## Specific demands",
            [
                "One register run by an independent body with families' representatives",
                "Protection of the data of families and witnesses, used for no other purpose",
                "Access to official archives and burial sites",
            ],
            "> \u201cWe are not asking for the impossible. We want to know. Knowing is where justice "
            "begins,\u201d said a representative of an association of families of the missing.",
            'There has been no official comment on the demands so far. The '
            '<a href="https://example.org/missing-persons-statement">full joint statement</a> is '
            'available online.',
        ],
    },
    {
        "key": "local-law", "section": "سياسة", "authors": ["omar"], "photo": "council",
        "lead_photo_caption_ar": "جانب من الندوة حول قانون الإدارة المحلية في المركز الثقافي بدرعا",
        "tags": ["درعا", "الإدارة المحلية"], "ago": (13, 2),
        "headline_ar": "ندوة في درعا تناقش صلاحيات المجالس المحلية",
        "summary_ar": "ناقش محامون وأعضاء سابقون في مجالس محلية في درعا مشروع تعديل قانون الإدارة "
                      "المحلية، وطالبوا بصلاحيات مالية أوسع للمجالس المنتخبة.",
        "body_ar": [
            "<strong>درعا —</strong> استضاف المركز الثقافي في مدينة درعا ندوة حضرها محامون وأعضاء سابقون "
            "في مجالس محلية وناشطون، لمناقشة مشروع تعديل قانون الإدارة المحلية المطروح للنقاش العام.",
            "وتركز النقاش على الصلاحيات المالية للمجالس، إذ رأى معظم المتحدثين أن المجلس الذي لا يملك "
            "ميزانية مستقلة لا يستطيع الناس أن يحاسبوه على شيء. وقال محامٍ شارك في الندوة: «ننتخب "
            "أعضاء ثم نطلب منهم أن ينتظروا موافقة العاصمة على إصلاح حفرة في الشارع».",
            "في المقابل، حذّر متحدثون آخرون من أن توسيع الصلاحيات دون رقابة قد يفتح الباب للفساد، "
            "واقترحوا نشر ميزانيات المجالس وقراراتها للعموم بشكل دوري.",
            "وخلصت الندوة إلى توصيات سترفع إلى اللجنة المكلفة بصياغة التعديلات، من بينها تخصيص نسبة "
            "ثابتة من الإيرادات المحلية للمجالس وإلزامها بعقد جلسات علنية.",
        ],
    },
    {
        "key": "bridges", "section": "سياسة", "authors": ["youssef"], "photo": "delegation",
        "tags": ["سوريا", "الإدارة المحلية"], "ago": (20, 8),
        "headline_ar": "وفد حكومي في دير الزور لبحث إعادة تأهيل جسور الفرات",
        "summary_ar": "زار وفد حكومي محافظة دير الزور واطّلع على واقع الجسور المتضررة على نهر الفرات، "
                      "وسط مطالب الأهالي بجدول زمني واضح لإعادة تأهيلها.",
        "body_ar": [
            "<strong>دير الزور —</strong> وصل وفد حكومي يضم ممثلين عن وزارتي الأشغال العامة والنقل إلى "
            "دير الزور، في زيارة استمرت يومين خُصصت لبحث إعادة تأهيل الجسور المتضررة على نهر الفرات.",
            "ويعتمد آلاف السكان على العبّارات النهرية الصغيرة للتنقل بين ضفتي النهر، وهي وسيلة مكلفة "
            "وخطرة في أشهر الشتاء حين يرتفع منسوب المياه.",
            "## مطالب الأهالي",
            "والتقى الوفد وجهاء ونقابيين من المدينة، طالبوا بالبدء بالجسر الذي يربط أحياء المدينة "
            "بالريف الشرقي لأنه يخدم أكبر عدد من الطلاب والمزارعين. وقال أحد الحاضرين إن «الجسر ليس "
            "مشروعًا هندسيًا فقط، إنه طريق الطالب إلى جامعته والمزارع إلى سوقه».",
            "ولم يعلن الوفد عن موعد لبدء الأعمال، لكنه قال إن الدراسات الفنية ستُستكمل خلال ثلاثة أشهر.",
        ],
    },
    {
        "key": "engineers", "section": "سياسة", "authors": ["nour"], "photo": "council",
        "tags": ["حلب", "الانتخابات"], "status": Article.Status.IN_REVIEW,
        "headline_ar": "انتخابات نقابة المهندسين في حلب: قائمتان متنافستان وإقبال لافت",
        "summary_ar": "شهدت انتخابات فرع نقابة المهندسين في حلب منافسة بين قائمتين للمرة الأولى منذ "
                      "سنوات، وسط إقبال فاق توقعات المنظمين.",
        "body_ar": [
            "<strong>حلب —</strong> اصطف مئات المهندسين منذ الصباح أمام مقر فرع النقابة في حلب للإدلاء "
            "بأصواتهم في انتخابات مجلس الفرع، التي تتنافس فيها قائمتان للمرة الأولى منذ سنوات.",
            "وتركز برنامج القائمة الأولى على تحسين الخدمات التقاعدية وصندوق الإعانات، فيما ركزت القائمة "
            "الثانية على فرص العمل للمهندسين الشباب وتحديث نظام منح رخص المكاتب الهندسية.",
            "وقال أحد أعضاء لجنة الإشراف إن نسبة المشاركة تجاوزت النصف قبل ساعتين من إغلاق الصناديق، "
            "على أن تُعلن النتائج مساء اليوم نفسه بعد الفرز العلني.",
        ],
    },
    # ---- Economy -------------------------------------------------------------------------------
    {
        "key": "electricity", "section": "اقتصاد", "authors": ["lina"], "photo": "solar",
        "tags": ["دمشق", "الطاقة"], "ago": (3, 4),
        "headline_ar": "ساعات التقنين الكهربائي تتراجع في دمشق مع عودة مجموعة توليد إلى العمل",
        "summary_ar": "انخفضت ساعات قطع الكهرباء في عدد من أحياء دمشق خلال الأسبوع الجاري، بعد عودة "
                      "مجموعة توليد إلى العمل عقب صيانة استمرت شهرين.",
        "body_ar": [
            "<strong>دمشق —</strong> لاحظ سكان عدد من أحياء دمشق تحسنًا في ساعات وصول الكهرباء منذ مطلع "
            "الأسبوع، إذ باتت تصل أربع ساعات مقابل ساعتي قطع في بعض المناطق، بعد أن كانت لا تتجاوز "
            "ساعتين مقابل أربع.",
            "وأرجعت وزارة الكهرباء التحسن إلى عودة مجموعة توليد في إحدى المحطات إلى العمل بعد صيانة "
            "استمرت شهرين، إضافة إلى وصول كميات من الفيول.",
            "## تحسن مؤقت؟",
            "لكن فنيين في قطاع الطاقة حذّروا من أن التحسن قد لا يدوم مع اقتراب الشتاء وازدياد "
            "الاستهلاك على التدفئة الكهربائية. ويقول مهندس يعمل في إحدى محطات التحويل إن «الشبكة "
            "متعبة، وأي حمل إضافي يعني أعطالًا جديدة».",
            "في الأثناء، يواصل كثير من السكان الاعتماد على الاشتراك في المولدات الخاصة وعلى ألواح الطاقة "
            "الشمسية، التي باتت مشهدًا مألوفًا فوق أسطح الأبنية.",
        ],
    },
    {
        "key": "wheat", "section": "اقتصاد", "authors": ["omar"], "photo": "wheat",
        "tags": ["درعا", "الزراعة", "الخبز"], "ago": (6, 3), "related": ["bread", "grain"],
        "headline_ar": "مزارعو القمح في حوران يترقبون تسعيرة الموسم",
        "summary_ar": "مع اقتراب الحصاد، ينتظر مزارعو القمح في سهل حوران إعلان سعر الشراء الرسمي، "
                      "ويقولون إن كلفة الوقود والسماد ارتفعت إلى حد يهدد جدوى الزراعة.",
        "body_ar": [
            "<strong>درعا —</strong> تصفرّ سنابل القمح في سهل حوران أسرع من المعتاد هذا العام بسبب قلة "
            "أمطار الربيع، ويستعد المزارعون لحصاد مبكر وهم لا يعرفون بعد بكم سيبيعون محصولهم.",
            "يقول محمود، الذي يزرع أرضًا ورثها عن أبيه: «حسبتُ كلفة الدونم من الحراثة إلى الحصاد. إذا "
            "جاء السعر منخفضًا سأخسر، وإذا خسرتُ هذا العام فلن أزرع القمح في العام القادم».",
            "## كلفة تتضاعف",
            "ويشير المزارعون إلى أن سعر المازوت اللازم لتشغيل الحصادات ومضخات الري ارتفع خلال عام "
            "واحد، كما ارتفع سعر السماد، بينما تراجع إنتاج الدونم بسبب الجفاف.",
            "ويطالب المزارعون بأن يُعلن سعر الشراء قبل بدء الحصاد، وأن يُدفع ثمن المحصول خلال أيام من "
            "التسليم لا أسابيع، حتى لا يضطروا إلى بيعه للتجار بسعر أقل.",
        ],
        "headline_en": "Hauran wheat farmers wait for this season's price",
        "summary_en": "With the harvest approaching, wheat farmers on the Hauran plain are waiting "
                      "for the official purchase price, and say fuel and fertiliser costs have risen "
                      "so far that farming may no longer pay.",
        "body_en": [
            "<strong>DARAA —</strong> The wheat on the Hauran plain is turning yellow earlier than "
            "usual this year because of a dry spring, and farmers are preparing for an early harvest "
            "without knowing what price they will get for their crop.",
            "\u201cI worked out the cost of a dunam from ploughing to harvest,\u201d says Mahmoud, who "
            "farms land he inherited from his father. \u201cIf the price is low I will make a loss, "
            "and if I make a loss this year I won't plant wheat next year.\u201d",
            "## Costs that keep doubling",
            "Farmers say the price of the diesel that runs harvesters and irrigation pumps has risen "
            "within a single year, as has the price of fertiliser, while the yield per dunam has "
            "fallen because of the drought.",
            "They want the purchase price announced before the harvest begins, and payment within "
            "days of delivery rather than weeks, so that they are not forced to sell to traders for "
            "less.",
        ],
    },
    {
        "key": "eid-market", "section": "اقتصاد", "authors": ["lina"], "photo": "market", "inline_photo": "bakery",
        "tags": ["دمشق", "الاقتصاد"], "ago": (11, 6),
        "headline_ar": "أسواق دمشق القديمة تستعيد حركتها قبيل العيد",
        "summary_ar": "ازدحمت أسواق دمشق القديمة بالمتسوقين في الأيام الأخيرة قبل العيد، لكن التجار "
                      "يقولون إن كثيرين يكتفون بالفرجة.",
        "body_ar": [
            "<strong>دمشق —</strong> في الأسواق المسقوفة وسط دمشق القديمة، كان الازدحام في الأيام "
            "الأخيرة قبل العيد يوحي بموسم جيد. لكن أصحاب المحال يرون الصورة من زاوية أخرى.",
            "«الناس يدخلون ويسألون عن السعر ويخرجون»، يقول أبو نزار، صاحب محل لألبسة الأطفال ورثه عن "
            "أبيه. «من كان يشتري ثلاث قطع صار يشتري قطعة واحدة، ومن كان يشتري قطعة صار يؤجل».",
            "ويلجأ بعض التجار إلى البيع بالتقسيط لزبائن يعرفونهم، فيما قدّم آخرون تخفيضات على بضائع "
            "الموسم الماضي. أما محال الحلويات فكانت الأكثر حركة، إذ يحرص كثيرون على شراء ولو كمية "
            "صغيرة من المعمول.",
            "وتقول سعاد، موظفة جاءت مع ابنتيها: «العيد للأطفال. نختصر في كل شيء إلا في فرحتهم».",
        ],
    },
    {
        "key": "grain", "section": "اقتصاد", "authors": ["karim"], "photo": "coast",
        "lead_photo_caption_ar": "رافعات مرفأ اللاذقية خلال تفريغ شحنة القمح",
        "tags": ["اللاذقية", "الخبز", "الاقتصاد"], "ago": (18, 2),
        "headline_ar": "مرفأ اللاذقية يستقبل شحنة قمح جديدة وسط مخاوف من نقص المخزون",
        "summary_ar": "رست في مرفأ اللاذقية سفينة محملة بالقمح، في وقت يقول فيه خبراء إن المخزون "
                      "المحلي لا يكفي لأكثر من بضعة أشهر.",
        "body_ar": [
            "<strong>اللاذقية —</strong> بدأ عمال مرفأ اللاذقية تفريغ شحنة من القمح المستورد وصلت على "
            "متن سفينة تجارية، على أن تُنقل الحمولة إلى الصوامع والمطاحن في المحافظات خلال الأسبوعين "
            "المقبلين.",
            "وتأتي الشحنة في وقت تراجع فيه الإنتاج المحلي بسبب الجفاف وارتفاع تكاليف الزراعة. ويقدّر "
            "خبير في الاقتصاد الزراعي أن البلاد تحتاج إلى استيراد ما يقارب نصف حاجتها من القمح هذا العام.",
            "ويرى الخبير أن الحل على المدى البعيد يكمن في دعم المزارعين بأسعار مجزية وبالوقود والسماد، "
            "«فكل طن يُزرع هنا هو طن لا نحتاج إلى شرائه بالعملة الصعبة».",
        ],
    },
    {
        "key": "remittances", "section": "اقتصاد", "authors": ["karim"], "photo": "market",
        "tags": ["الاقتصاد", "اللاجئون"], "status": Article.Status.DRAFT,
        "headline_ar": "الحوالات من الخارج: شريان العائلات الذي لا يظهر في الإحصاءات",
        "summary_ar": "تعتمد عائلات سورية كثيرة على ما يرسله أبناؤها من الخارج كل شهر. كم تبلغ هذه "
                      "الحوالات، وكيف تصل، وماذا يحدث حين تتأخر؟",
        "body_ar": [
            "في مطلع كل شهر تنتظر أم فراس اتصالًا من ابنها الذي يعمل في ورشة نجارة في ألمانيا. المبلغ "
            "الذي يرسله يدفع إيجار البيت وفاتورة المولدة، وما يبقى يُقسم على أيام الشهر بحذر.",
            "ولا توجد أرقام رسمية دقيقة عن حجم الحوالات، لكن اقتصاديين يقدّرون أنها باتت من أكبر مصادر "
            "القطع الأجنبي التي تدخل البلاد، وأنها تعيل شريحة واسعة من العائلات.",
            "## طرق ملتوية وكلفة عالية",
            "ويلجأ كثيرون إلى مكاتب غير مرخصة لأنها تعطي سعرًا أفضل من السعر الرسمي، رغم ما في ذلك من "
            "مخاطرة. ويقول صاحب محل صرافة إن العمولة «تتغير كل أسبوع بحسب الطلب وبحسب الخوف».",
            "<em>مسودة: بانتظار أرقام المصرف المركزي وتعليق من اتحاد غرف التجارة.</em>",
        ],
    },
    # ---- Culture -------------------------------------------------------------------------------
    {
        "key": "festival", "section": "ثقافة", "authors": ["nour"], "photo": "citadel",
        "tags": ["حلب", "الثقافة"], "ago": (8, 9), "related": ["book-fair", "theatre"],
        "headline_ar": "مهرجان حلب الثقافي يعود إلى محيط القلعة بعد غياب طويل",
        "summary_ar": "افتُتح مهرجان حلب الثقافي في الساحة المحيطة بالقلعة بعروض موسيقية ومسرحية "
                      "ومعرض للحرف اليدوية، وسط حضور كثيف من أهالي المدينة.",
        "body_ar": [
            "<strong>حلب —</strong> عادت الموسيقى إلى الساحة المحيطة بقلعة حلب مساء الخميس، مع افتتاح "
            "الدورة الجديدة من مهرجان حلب الثقافي الذي غاب سنوات عن المدينة.",
            "افتتحت المهرجانَ فرقةٌ للقدود الحلبية قدّمت مختارات من التراث الغنائي للمدينة، وتفاعل "
            "معها الجمهور الذي ملأ المدرجات المؤقتة وردّد معها المقاطع المعروفة.",
            "## حرف يدوية وكتب",
            "وإلى جانب العروض الموسيقية، يضم المهرجان معرضًا للحرف اليدوية يشارك فيه حرفيون من أسواق "
            "حلب القديمة، يعرضون صابون الغار والنحاسيات المطروقة والأقمشة المنسوجة يدويًا، إضافة إلى "
            "جناح لدور نشر محلية.",
            "وقال أحد منظمي المهرجان إن الهدف «أن يلتقي الناس في مكان عام مرة أخرى، وأن يرى الحرفيون "
            "أن هناك من يقدّر عملهم». ويستمر المهرجان عشرة أيام، تُعرض خلالها مسرحيتان لفرق شبابية من "
            "المدينة.",
            "> «جئت مع أولادي ليروا القلعة مضاءة. أنا رأيتها هكذا حين كنت في عمرهم»، تقول رهف، مدرّسة "
            "في الأربعين.",
            'ويمكن الاطلاع على برنامج العروض كاملًا على '
            '<a href="https://example.org/aleppo-festival">صفحة المهرجان</a>.',
        ],
        "headline_en": "Aleppo's cultural festival returns to the citadel after a long absence",
        "summary_en": "The Aleppo cultural festival opened in the square around the citadel with "
                      "music, theatre and a handicrafts fair, drawing large crowds from the city.",
        "body_en": [
            "<strong>ALEPPO —</strong> Music returned to the square around the Citadel of Aleppo on "
            "Thursday evening with the opening of a new edition of the Aleppo cultural festival, "
            "which had been missing from the city for years.",
            "A qudud ensemble opened the festival with a selection from the city's song tradition, "
            "and the audience that filled the temporary stands sang along to the best-known lines.",
            "## Crafts and books",
            "Alongside the concerts, the festival has a handicrafts fair with artisans from the old "
            "markets of Aleppo showing laurel soap, hammered copperware and hand-woven cloth, as well "
            "as a stand for local publishers.",
            "One of the organisers said the aim was \u201cfor people to meet in a public place again, "
            "and for craftspeople to see that someone values their work\u201d. The festival runs for "
            "ten days and includes two plays by young companies from the city.",
            "> \u201cI brought my children to see the citadel lit up. I saw it like this when I was "
            "their age,\u201d says Rahaf, a teacher in her forties.",
            'The full programme is on the '
            '<a href="https://example.org/aleppo-festival">festival page</a>.',
        ],
    },
    {
        "key": "book-fair", "section": "ثقافة", "authors": ["hala"], "photo": "books",
        "tags": ["دمشق", "الثقافة"], "ago": (15, 4),
        "headline_ar": "معرض الكتاب في دمشق: إقبال على الروايات وشكوى من الأسعار",
        "summary_ar": "اختتم معرض الكتاب في دمشق أيامه العشرة بإقبال لافت على الروايات وكتب الأطفال، "
                      "فيما اشتكى الزوار وأصحاب دور النشر من ارتفاع كلفة الطباعة والورق.",
        "body_ar": [
            "<strong>دمشق —</strong> على مدى عشرة أيام، امتلأت أجنحة معرض الكتاب في دمشق بزوار من كل "
            "الأعمار، وكانت الروايات المترجمة والعربية وكتب الأطفال الأكثر طلبًا بحسب الناشرين.",
            "## الورق أغلى من الحبر",
            "ويقول صاحب دار نشر صغيرة إن كلفة طباعة الكتاب تضاعفت خلال عامين بسبب ارتفاع سعر الورق "
            "المستورد، ما اضطره إلى تقليص عدد النسخ في الطبعة الواحدة: «نطبع خمسمئة نسخة بدل ألف، "
            "ونبيعها على مهل».",
            "وفي المقابل، لجأ بعض الزوار إلى شراء الكتب المستعملة من الأكشاك المجاورة للمعرض، أو إلى "
            "تبادل الكتب مع الأصدقاء. تقول ديما، طالبة الأدب الإنكليزي: «اشتريت روايتين فقط، واتفقت "
            "مع صديقاتي أن نتبادل ما نشتريه».",
            "## جيل جديد من القراء",
            "ولفتت أجنحة كتب الأطفال الانتباه بالأعداد الكبيرة من العائلات التي زارتها، وقالت مشرفة "
            "على ركن القراءة إن «الأطفال يقرؤون أكثر مما نظن، إذا وجدوا الكتاب المناسب».",
        ],
    },
    {
        "key": "theatre", "section": "ثقافة", "authors": ["hala"], "photo": "citadel",
        "lead_photo_caption_ar": "من عرض مسرحية «بيت الجدة» لفرقة شبابية في السويداء",
        "tags": ["الثقافة", "الشباب"], "ago": (27, 5),
        "headline_ar": "فرقة مسرحية شابة في السويداء تعرض «بيت الجدة»",
        "summary_ar": "قدّمت فرقة مسرحية من طلاب الجامعة في السويداء عرضها الأول «بيت الجدة»، عن عائلة "
                      "تتوزع بين المدن والمنافي وتلتقي في بيت واحد.",
        "body_ar": [
            "<strong>السويداء —</strong> امتلأت قاعة المركز الثقافي في السويداء على مدى ثلاث ليال بجمهور "
            "جاء ليشاهد «بيت الجدة»، العرض الأول لفرقة مسرحية أسسها طلاب في الجامعة قبل عام.",
            "تدور المسرحية في بيت قديم تجتمع فيه عائلة بعد وفاة الجدة، لتكتشف أن كل فرد منها يحمل "
            "نسخة مختلفة من ذكرياتها، وأن البيت نفسه صار موضع خلاف بين من بقي ومن سافر.",
            "ويقول مخرج العرض إن الفرقة كتبت النص جماعيًا من حكايات أعضائها: «كل واحد منا لديه قريب "
            "في بلد آخر. أردنا أن نتكلم عن ذلك دون بكاء».",
            "وتعتزم الفرقة عرض المسرحية في مدن أخرى إذا تمكنت من تأمين كلفة النقل والإقامة.",
        ],
    },
    {
        "key": "khan", "section": "ثقافة", "authors": ["youssef"], "photo": "market",
        "lead_photo_caption_ar": "حرفيون يرممون الواجهة الحجرية لخان قديم في حمص",
        "tags": ["حمص", "الثقافة"], "ago": (34, 3),
        "headline_ar": "حرفيون محليون يرممون خانًا أثريًا في حمص القديمة",
        "summary_ar": "يعمل فريق من البنائين والحرفيين المحليين على ترميم خان قديم في حمص، باستخدام "
                      "الحجر الأسود نفسه الذي بُنيت به المدينة القديمة.",
        "body_ar": [
            "<strong>حمص —</strong> في خان قديم وسط حمص، يطرق أبو جميل الحجر البازلتي الأسود بإيقاع "
            "منتظم، كما تعلّم من أبيه قبل أربعين عامًا. حوله ستة حرفيين آخرين يعيدون بناء قوس انهار "
            "نصفه.",
            "## الحجر نفسه",
            "ويحرص فريق الترميم على استخدام الحجارة الأصلية التي تساقطت من الجدران، بعد ترقيمها "
            "وتصنيفها، وعلى استكمال الناقص منها بحجارة من المحاجر نفسها. ويقول المهندس المشرف إن "
            "«الترميم الجيد هو الذي لا تراه. يجب أن يبدو الخان كما كان، لا كما نتخيله».",
            "ويواجه المشروع صعوبة في إيجاد حرفيين شباب، إذ هاجر كثيرون أو تركوا المهنة. لذلك خُصص جزء "
            "من الميزانية لتدريب عشرة متدربين يعملون إلى جانب المعلمين الكبار.",
            "## ماذا بعد الترميم؟",
            "ولم يُحسم بعد مستقبل الخان بعد انتهاء الأعمال، فبينما يقترح بعضهم تحويله إلى مركز للحرف "
            "اليدوية، يطالب آخرون بإعادته إلى وظيفته الأولى سوقًا للتجار.",
            "ويتوقع القائمون على المشروع أن تنتهي الأعمال خلال ستة أشهر إذا استمر التمويل.",
        ],
    },
    {
        "key": "poetry", "section": "ثقافة", "authors": ["hala"], "photo": "books",
        "lead_photo_caption_ar": "جمهور الأمسية الشعرية في المركز الثقافي باللاذقية",
        "tags": ["اللاذقية", "الثقافة"], "ago": (51, 7),
        "headline_ar": "أمسية شعرية في اللاذقية تستعيد أصوات الشعراء الراحلين",
        "summary_ar": "قرأ شعراء شباب في اللاذقية قصائد لشعراء سوريين رحلوا، ثم قصائد من كتاباتهم، في "
                      "أمسية جمعت جيلين.",
        "body_ar": [
            "<strong>اللاذقية —</strong> لم يبقَ كرسي فارغ في قاعة المركز الثقافي باللاذقية مساء السبت، "
            "حين صعد خمسة شعراء شباب إلى المنصة لقراءة قصائد لشعراء سوريين رحلوا خلال العقود الماضية.",
            "وفي الجزء الثاني من الأمسية قرأ كل منهم قصائد من كتاباته، وكثير منها عن البحر والهجرة "
            "والمدينة التي تتغير. وقالت إحدى المشاركات: «نقرأ من سبقونا لنعرف من أين نبدأ».",
            "> «الشعر لا يغيّر الأسعار، لكنه يذكّرنا بأننا أكثر من أسعار»، قال أحد الحضور بعد انتهاء "
            "الأمسية.",
        ],
    },
    # ---- Opinion -------------------------------------------------------------------------------
    {
        "key": "local-press", "section": "رأي", "authors": ["youssef"], "photo": "market",
        "tags": ["سوريا", "حقوق الإنسان"], "ago": (10, 2),
        "headline_ar": "رأي: الصحافة المحلية ليست ترفًا",
        "summary_ar": "حين تغيب الصحيفة المحلية لا يختفي الخبر، بل تحل محله الإشاعة. عن حاجة المدن "
                      "السورية إلى صحافة تعرف أسماء شوارعها.",
        "body_ar": [
            "في كل مدينة سورية أسئلة تتكرر كل صباح: هل ستأتي المياه اليوم؟ متى تعود الكهرباء؟ كم صار "
            "سعر الخبز؟ هذه ليست أسئلة كبيرة في نظر نشرات الأخبار، لكنها الأسئلة التي تحدد يوم الناس.",
            "الصحافة المحلية هي التي تجيب عنها. المراسل الذي يعرف الحي ويعرف بائع الخبز ومديرة "
            "المدرسة هو وحده القادر على أن يميّز الخبر من الإشاعة، وعلى أن يسأل المسؤول سؤالًا محددًا "
            "لا يحتمل المراوغة.",
            "## حين يغيب المراسل",
            "حين تغيب الصحافة المحلية لا يختفي الكلام، بل ينتقل إلى مجموعات الرسائل حيث يختلط الصحيح "
            "بالمختلق، ولا يُحاسَب أحد على خطأ. وفي هذا الفراغ يخسر الجميع: المواطن الذي لا يعرف، "
            "والمسؤول الذي لا يُسأل، والمدينة التي لا ترى نفسها.",
            "دعم الصحافة المحلية ليس عملًا خيريًا، بل استثمار في حق بسيط: أن نعرف ما يجري في شارعنا. "
            "والمطلوب ليس كثيرًا: قارئ يشترك، ومعلن يثق، ومسؤول يجيب عن الهاتف.",
            "<em>الآراء الواردة في هذا المقال تعبّر عن رأي كاتبه.</em>",
        ],
        "headline_en": "Opinion: Local journalism is not a luxury",
        "summary_en": "When the local paper disappears, the news does not; rumour takes its place. "
                      "Why Syrian cities need journalists who know their street names.",
        "body_en": [
            "In every Syrian city the same questions come back each morning: will the water come "
            "today? When will the electricity be back? What does bread cost now? They are not big "
            "questions for the news bulletins, but they are the questions that shape people's day.",
            "Local journalism is what answers them. A reporter who knows the neighbourhood, the "
            "baker and the head teacher is the only one who can tell news from rumour, and put to an "
            "official a precise question that leaves no room to dodge.",
            "## When the reporter is gone",
            "When local journalism disappears, the talk does not stop; it moves to messaging groups "
            "where truth mixes with invention and nobody answers for a mistake. In that vacuum "
            "everyone loses: the citizen who does not know, the official who is not asked, and the "
            "city that cannot see itself.",
            "Supporting local journalism is not charity but an investment in a simple right: to know "
            "what is happening in our own street. What it takes is not much: a reader who "
            "subscribes, an advertiser who trusts, and an official who picks up the phone.",
            "<em>The views expressed in this article are the author's own.</em>",
        ],
    },
    {
        "key": "school-oped", "section": "رأي", "authors": ["karim"], "photo": "school",
        "tags": ["التعليم", "اللاجئون"], "ago": (19, 5),
        "headline_ar": "رأي: المدرسة قبل الطريق",
        "summary_ar": "حين توزَّع ميزانيات إعادة الإعمار، تُقدَّم الطرق والجسور لأنها تُرى. لكن المدرسة "
                      "هي ما يقرر إن كان أحد سيبقى ليمشي على هذه الطرق.",
        "body_ar": [
            "في كل نقاش عن إعادة الإعمار تتصدر القائمة مشاريع تُرى من بعيد: طريق معبّد، جسر جديد، "
            "ساحة مضاءة. أما المدرسة فتأتي في آخر القائمة، كأنها تفصيل يمكن أن ينتظر.",
            "لكن العائلة التي تفكر في العودة إلى بلدتها لا تسأل أولًا عن الطريق. تسأل: هل في البلدة "
            "مدرسة؟ هل فيها معلم للرياضيات؟ هل يتدفأ الأطفال في الشتاء؟ وإذا كان الجواب لا، فلن "
            "تعود، مهما كان الطريق جميلًا.",
            "## المعلم أولًا",
            "والمدرسة ليست جدرانًا فقط. المعلم الذي يتقاضى راتبًا لا يكفيه أسبوعًا سيبحث عن عمل آخر، "
            "أو عن طريق إلى الخارج. وكل معلم يغادر يأخذ معه صفًا كاملًا من المستقبل.",
            "أقترح قاعدة بسيطة لكل مجلس محلي: لا يُفتتح مشروع طريق في بلدة ليس فيها مدرسة تعمل. "
            "قد تبدو القاعدة قاسية، لكنها تذكّرنا بما يجعل المكان صالحًا للحياة.",
            "<em>الآراء الواردة في هذا المقال تعبّر عن رأي كاتبه.</em>",
        ],
    },
    {
        "key": "lira-oped", "section": "رأي", "authors": ["karim"], "photo": "market",
        "lead_photo_caption_ar": "محال صرافة وتجارة في سوق دمشقي",
        "tags": ["الاقتصاد", "دمشق"], "ago": (44, 3),
        "headline_ar": "رأي: من يعيد الثقة إلى الليرة؟",
        "summary_ar": "لا تُستعاد قيمة العملة بالقرارات وحدها. الثقة تُبنى حين يعرف الناس القواعد "
                      "ويثقون بأنها لن تتغير غدًا.",
        "body_ar": [
            "يسأل الناس في الأسواق سؤالًا واحدًا بصيغ مختلفة: بكم الدولار اليوم؟ والسؤال بحد ذاته "
            "يلخّص المشكلة، فالعملة التي يُسأل عن سعرها كل صباح فقدت أهم وظيفة لها: أن تكون مقياسًا "
            "ثابتًا نخطط به.",
            "الثقة بالعملة لا تُفرض بالعقوبات على من يتعامل بغيرها، ولا تُشترى بضخ كميات من القطع "
            "الأجنبي لأيام معدودة. إنها تُبنى ببطء، حين يرى التاجر والموظف والمزارع أن القواعد واضحة "
            "ومعلنة ولا تتبدل بين ليلة وضحاها.",
            "والخطوة الأولى بسيطة ومكلفة في آن: أن تُنشر الأرقام الحقيقية، عن العجز والتضخم والاحتياطي، "
            "وأن يُحاسَب من يخطئ في التقدير. فالناس يحتملون الأخبار السيئة أكثر مما يحتملون الغموض.",
            "<em>الآراء الواردة في هذا المقال تعبّر عن رأي كاتبه.</em>",
        ],
    },
    # ---- Reports -------------------------------------------------------------------------------
    {
        "key": "bread", "section": "تقارير", "authors": ["lina", "karim"], "photo": "bakery", "inline_photo": "wheat",
        "tags": ["دمشق", "الخبز", "الاقتصاد"], "ago": (12, 3), "related": ["wheat"], "updated_after": 26,
        "headline_ar": "كم تكلّف ربطة الخبز؟ جولة على عشرة أفران في دمشق",
        "summary_ar": "زار فريقنا عشرة أفران عامة وخاصة في دمشق خلال أسبوع واحد، ووجد فروقًا في السعر "
                      "والوزن ومدة الانتظار بين فرن وآخر.",
        "body_ar": [
            "<strong>دمشق —</strong> على مدى أسبوع، وقف فريقنا في طوابير عشرة أفران في دمشق، خمسة منها "
            "عامة وخمسة خاصة، واشترى من كل فرن ربطة خبز، ثم وزنها وسجّل سعرها ومدة الانتظار.",
            "## ماذا وجدنا",
            [
                "السعر في الأفران العامة ثابت وفق التسعيرة الرسمية، لكن الانتظار تجاوز ساعة في ثلاثة "
                "منها.",
                "الأفران الخاصة تبيع الربطة بأكثر من ثلاثة أضعاف السعر الرسمي، دون انتظار يُذكر.",
                "وزن الربطة في أربعة أفران جاء أقل من الوزن المعلن بما بين خمسين ومئة غرام.",
            ],
            "وتبرر إدارات بعض الأفران نقص الوزن بتفاوت نوعية الطحين ورطوبته، فيما يرى مستهلكون أن "
            "النقص يتكرر بما لا يمكن تفسيره بالصدفة.",
            "## المعتمدون والطوابير",
            "ويلجأ كثير من السكان إلى «المعتمدين»، وهم باعة يشترون كميات من الأفران ويبيعونها في "
            "الأحياء بسعر أعلى قليلًا. يقول أبو وائل، موظف متقاعد: «أدفع الفرق لأنني لا أستطيع الوقوف "
            "ساعة في الطابور بركبتيّ هاتين».",
            "وقال مسؤول في مديرية التجارة الداخلية إن دوريات الرقابة تنظّم ضبوطًا بحق الأفران "
            "المخالفة، ودعا المواطنين إلى الإبلاغ عن أي نقص في الوزن عبر الرقم المخصص للشكاوى.",
        ],
        "headline_en": "What does a bag of bread cost? We visited ten Damascus bakeries",
        "summary_en": "Our team visited ten public and private bakeries in Damascus in a single week "
                      "and found differences in price, weight and waiting time from one to the next.",
        "body_en": [
            "<strong>DAMASCUS —</strong> For a week our team queued at ten bakeries in Damascus, five "
            "public and five private, bought a bag of bread at each, then weighed it and noted its "
            "price and how long we had waited.",
            "## What we found",
            [
                "Public bakeries charge the fixed official price, but the wait was over an hour at "
                "three of them.",
                "Private bakeries sell a bag for more than three times the official price, with "
                "hardly any wait.",
                "At four bakeries the bag weighed between fifty and a hundred grams less than the "
                "stated weight.",
            ],
            "Some bakery managers put the missing weight down to variations in the quality and "
            "moisture of the flour; customers say it happens too often to be chance.",
            "## Middlemen and queues",
            "Many residents turn to middlemen who buy bread in bulk from the bakeries and sell it "
            "in the neighbourhoods for a little more. \u201cI pay the difference because I cannot "
            "stand in line for an hour on these knees,\u201d says Abu Wael, a retired civil servant.",
            "An official at the internal trade directorate said inspectors fine bakeries that break "
            "the rules, and urged people to report underweight bread on the complaints hotline.",
        ],
    },
    {
        "key": "teachers", "section": "تقارير", "authors": ["lina", "youssef"], "photo": "school",
        "lead_photo_caption_ar": "معلمة تصحح أوراق الامتحان في غرفة المدرسين بعد انتهاء الدوام",
        "tags": ["التعليم", "الاقتصاد", "حمص"], "ago": (25, 4), "related": ["school-oped"],
        "headline_ar": "معلمون في وظيفة ثانية: كيف يتدبّر المدرّسون معيشتهم؟",
        "summary_ar": "تحدثنا إلى معلمين في دمشق وحمص يعملون بعد الدوام سائقين وبائعين ومدرّسين "
                      "خصوصيين، لأن رواتبهم لا تكفي أكثر من أسبوع.",
        "body_ar": [
            "ينتهي دوام رامي في المدرسة الثانوية عند الواحدة ظهرًا. عند الثالثة يكون خلف مقود سيارة "
            "أجرة يستأجرها بالساعة، ويبقى فيها حتى العاشرة ليلًا. «الراتب يكفي أسبوعًا. الأسابيع "
            "الثلاثة الباقية من السيارة»، يقول مدرّس الفيزياء البالغ خمسة وثلاثين عامًا.",
            "رامي واحد من اثني عشر معلمًا ومعلمة تحدثنا إليهم في دمشق وحمص لإعداد هذا التقرير، وجميعهم "
            "إلا واحدًا يعملون في وظيفة ثانية على الأقل.",
            "## الدروس الخصوصية",
            "الطريق الأكثر شيوعًا هو الدروس الخصوصية. تقول منى، معلمة لغة عربية في حمص، إنها تعطي "
            "دروسًا في بيوت الطلاب ثلاث أمسيات في الأسبوع: «أعرف أن هذا يظلم الطلاب الذين لا يملك "
            "أهلهم ثمن الدرس، وهذا يؤلمني. لكن عندي أولاد أيضًا».",
            "وتعترف منى بأن التعب ينعكس على عملها في الصف: «في الحصة السادسة لا يبقى مني شيء».",
            "## من يبقى في المهنة؟",
            "ويخشى مديرو مدارس من أن يتسارع تسرّب المعلمين من المهنة، خصوصًا في المواد العلمية. "
            "ويقول مدير مدرسة في دمشق إنه فقد ثلاثة معلمين خلال عام واحد: اثنان سافرا، والثالث فتح "
            "محلًا لبيع الهواتف.",
            "> «كنا نقول إن التعليم رسالة. الرسالة جميلة، لكنها لا تدفع الإيجار»، يقول رامي قبل أن "
            "يغادر إلى نوبته المسائية.",
        ],
    },
    {
        "key": "camps", "section": "تقارير", "authors": ["nour", "maya"], "photo": "return",
        "lead_photo_caption_ar": "عائلة تحمّل أمتعتها استعدادًا لمغادرة أحد المخيمات في الشمال",
        "tags": ["اللاجئون", "إدلب", "حقوق الإنسان"], "ago": (30, 6), "related": ["return"],
        "headline_ar": "في المخيمات: عائلات بين قرار العودة وانتظار الشتاء",
        "summary_ar": "في مخيمات الشمال السوري، تتناقش العائلات كل مساء: هل نعود الآن إلى بيوت بلا "
                      "سقوف، أم ننتظر شتاءً آخر في الخيام؟",
        "body_ar": [
            "<strong>ريف إدلب —</strong> في خيمة مرقّعة بأكياس الطحين الفارغة، يجلس أبو محمود مع زوجته "
            "وأولاده الخمسة حول مدفأة صغيرة مطفأة، ويحسبون للمرة العاشرة كلفة العودة إلى قريتهم في "
            "ريف حماة.",
            "## حسابات العودة",
            "«نحتاج إلى سقف وباب ونوافذ قبل الشتاء. وإن عدنا الآن نخسر المساعدات التي نتلقاها هنا، "
            "ولا نعرف متى نجني أول محصول»، يقول أبو محمود. وتتكرر الحسابات نفسها في خيام كثيرة حوله.",
            "وتقول عاملة في منظمة إغاثية تعمل في المخيم إن عدد العائلات التي سجلت رغبتها في العودة "
            "تضاعف خلال الصيف، لكن عدد من غادر فعلًا ما زال قليلًا. وتضيف: «الناس يريدون العودة، "
            "لكنهم يريدون أن يعرفوا ماذا ينتظرهم هناك».",
            "## الأطفال والمدرسة",
            "ويشكّل تعليم الأطفال عاملًا حاسمًا في القرار. ففي المخيم مدرسة خيمة تعمل بدوامين، بينما "
            "لا توجد في كثير من القرى المدمرة مدرسة واحدة تعمل.",
            "وإلى أن تتضح الصورة، تستعد العائلات لشتاء جديد في الخيام: عوازل بلاستيكية على السقوف، "
            "وحجارة حول الأطراف، وأمل بأن يكون الشتاء الأخير.",
        ],
    },
    {
        "key": "solar-idlib", "section": "تقارير", "authors": ["nour"], "photo": "solar",
        "tags": ["إدلب", "الطاقة", "الاقتصاد"], "ago": (57, 4), "related": ["electricity"],
        "headline_ar": "لوح شمسي فوق كل سطح: كيف غيّرت الطاقة الشمسية الحياة في إدلب",
        "summary_ar": "في غياب الشبكة العامة، صارت ألواح الطاقة الشمسية المصدر الأول للكهرباء في بيوت "
                      "إدلب ومحالها. تقرير عن اقتصاد جديد نشأ فوق الأسطح.",
        "body_ar": [
            "<strong>إدلب —</strong> من أي سطح مرتفع في إدلب يمكن رؤية المشهد نفسه: ألواح زرقاء داكنة "
            "مائلة نحو الجنوب فوق كل بيت تقريبًا، وبينها خزانات مياه وأطباق لاقطة.",
            "قبل سنوات كانت الألواح رفاهية لا يملكها إلا القليلون. اليوم يقدّر أصحاب محال الطاقة في "
            "المدينة أن أكثر من نصف البيوت تعتمد عليها بشكل أساسي، ولو لتشغيل الإنارة والثلاجة "
            "وشحن الهواتف.",
            "## مهنة جديدة",
            "ومع انتشار الألواح نشأت مهنة كاملة: فنيو تركيب وصيانة، وتجار بطاريات، ومحال لإصلاح "
            "المحولات. يقول أحمد، الذي ترك دراسة الحقوق ليعمل في التركيب: «تعلمت المهنة من اليوتيوب "
            "ومن الأخطاء. اليوم عندي ثلاثة عمال».",
            "## البطارية هي المشكلة",
            "لكن الكلفة الأكبر ليست في الألواح بل في البطاريات، التي تحتاج إلى تبديل كل بضع سنوات، "
            "وتتخلص منها العائلات غالبًا بطرق غير آمنة. ويحذّر مهندسون من تراكم البطاريات التالفة دون "
            "أي نظام لإعادة التدوير.",
            'ويمكن قراءة <a href="https://example.org/solar-guide">دليل مبسط لاختيار البطاريات '
            'وصيانتها</a> أعدته مجموعة من المهندسين المتطوعين.',
        ],
    },
    {
        "key": "women-work", "section": "تقارير", "authors": ["nour", "hala"], "photo": "market",
        "lead_photo_caption_ar": "بائعة في محل للألبسة في أحد أسواق حلب",
        "tags": ["حلب", "الاقتصاد"], "status": Article.Status.DRAFT,
        "headline_ar": "نساء حلب في سوق العمل: من البيت إلى المحل والورشة",
        "summary_ar": "دخلت نساء كثيرات في حلب سوق العمل خلال السنوات الأخيرة، في مهن لم تكن مألوفة "
                      "لهن من قبل. تقرير عن التغيير وعن ثمنه.",
        "body_ar": [
            "<strong>حلب —</strong> قبل خمس سنوات لم تكن ريما قد عملت يومًا خارج بيتها. اليوم تدير "
            "ورشة خياطة صغيرة فيها أربع ماكينات وثلاث عاملات.",
            "وريما واحدة من نساء كثيرات دخلن سوق العمل في حلب بعد أن فقدت عائلاتهن معيليها أو "
            "تراجع دخلها، في مهن تمتد من الخياطة وصناعة الطعام المنزلي إلى البيع في المحال.",
            "## بين البيت والعمل",
            "لكن العمل لم يُعفِ النساء من أعباء البيت. تقول ريما: «أبدأ في الخامسة صباحًا وأنتهي في "
            "العاشرة ليلًا. العمل في الورشة أسهل من العمل بعد العودة إلى البيت».",
            "<em>مسودة: تحتاج إلى أرقام من غرفة الصناعة وشهادتين إضافيتين.</em>",
        ],
    },
]

SUPPORT_APPEAL = {
    "heading_ar": "ادعم الصحافة المستقلة",
    "text_ar": "نعمل على نقل ما يجري في المدن والبلدات السورية بدقة واستقلالية، دون تمويل من أي "
               "جهة سياسية. مساهمتك تساعدنا على إرسال مراسلينا إلى حيث لا يصل غيرهم.",
    "tagline_ar": "دولار واحد شهريًا يصنع الفرق",
    "button_label_ar": "اضغط هنا للمساهمة",
    "url_ar": "https://example.org/donate",
    "heading_en": "Support independent journalism",
    "text_en": "We report on what happens in Syria's cities and towns accurately and independently, "
               "with no funding from any political body. Your support helps us send our reporters "
               "where no one else goes.",
    "tagline_en": "One dollar a month makes the difference",
    "button_label_en": "Click here to contribute",
    "url_en": "https://example.org/en/donate",
}

# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------

PHOTO_SIZE = (1600, 900)


def body_html(blocks):
    """Turn a list of body blocks into the small HTML vocabulary the article editor allows."""
    parts = []
    for block in blocks:
        if isinstance(block, list):
            parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in block) + "</ul>")
        elif block.startswith("## "):
            parts.append(f"<h2>{block[3:]}</h2>")
        elif block.startswith("> "):
            parts.append(f"<blockquote><p>{block[2:]}</p></blockquote>")
        else:
            parts.append(f"<p>{block}</p>")
    return "\n".join(parts)


def demo_jpeg(seed, colors, size=PHOTO_SIZE):
    """A 1600×900 picture: a vertical gradient sky, a sun and a city skyline, in the given colours."""
    rng = random.Random(seed)
    width, height = size
    top, bottom = colors
    mask = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)
    draw = ImageDraw.Draw(image, "RGBA")
    sun_x, sun_y, radius = rng.randint(200, width - 200), rng.randint(120, 380), rng.randint(50, 110)
    draw.ellipse((sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius),
                 fill=(255, 245, 215, 170))
    shade = tuple(max(0, channel - 110) for channel in bottom)
    for layer, alpha in ((0, 120), (1, 220)):
        x = -rng.randint(0, 60)
        while x < width:
            building_width = rng.randint(60, 180)
            building_top = height - rng.randint(140, 420) + layer * 120
            draw.rectangle((x, building_top, x + building_width, height), fill=(*shade, alpha))
            if rng.random() < 0.25:  # a dome or a minaret now and then
                cx = x + building_width // 2
                dome = building_width // 3
                draw.ellipse((cx - dome, building_top - dome, cx + dome, building_top + dome),
                             fill=(*shade, alpha))
            x += building_width + rng.randint(0, 25)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()


class _Loader:
    def __init__(self, reset_password=False):
        self.reset_password = reset_password
        self.created = {"sections": 0, "people": 0, "tags": 0, "photos": 0, "articles": 0,
                        "support_box": 0}
        self.stored_files = []
        self.password = None

    # -- accounts ------------------------------------------------------------------------------
    def editor(self):
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=EDITOR_USERNAME, defaults={"is_staff": True, "first_name": "Reem",
                                                "last_name": "al-Shami"},
        )
        if created or self.reset_password:
            user.set_password(EDITOR_PASSWORD)
            self.password = EDITOR_PASSWORD
        user.is_staff = True
        user.is_active = True
        user.save()
        # Permissions come from the editor role (a group); older demo databases granted them one by one.
        user.user_permissions.clear()
        assign_role(user, ROLE_EDITOR)
        self.user = user
        self.user_created = created
        return user

    # -- reference data ------------------------------------------------------------------------
    def sections(self):
        self.section_by_key = {}
        for order, (name_ar, name_en) in enumerate(SECTIONS, start=1):
            section, created = Section.objects.get_or_create(
                slug=unicode_slug(name_ar, max_length=100),
                defaults={"name_ar": name_ar, "name_en": name_en, "order": order},
            )
            self.created["sections"] += created
            self.section_by_key[name_ar] = section

    def people(self):
        self.person_by_key = {}
        for key, data in PEOPLE.items():
            person, created = Person.objects.get_or_create(
                slug=unicode_slug(data["name_ar"], max_length=150), defaults=dict(data),
            )
            self.created["people"] += created
            self.person_by_key[key] = person
        editor_person = self.person_by_key[EDITOR_PERSON]
        if editor_person.user_id is None and not Person.objects.filter(user=self.user).exists():
            editor_person.user = self.user
            editor_person.save(update_fields=["user"])

    def tags(self):
        self.tag_by_name = {}
        for name, name_en in TAGS:
            tag = Tag.objects.called(name).order_by("pk").first()
            if tag is None:
                tag = Tag.objects.create(name_ar=name)
                self.created["tags"] += 1
            # The English name, unless the tag has one or another tag carries it.
            if not tag.name_en and not Tag.objects.called(name_en).exists():
                tag.name_en = name_en
                tag.save(update_fields=["name_en"])
            self.tag_by_name[name] = tag

    def photos(self):
        self.photo_by_key = {}
        for number, (key, data) in enumerate(PHOTOS.items(), start=1):
            photo = Photo.objects.filter(caption_ar=data["caption_ar"]).first()
            if photo is None:
                fields = {name: value for name, value in data.items()
                          if name not in ("colors", "credit_person")}
                if data["credit_person"]:
                    fields["credit_person"] = self.person_by_key[data["credit_person"]]
                # The same intake as an editor's upload: checked, re-encoded, renditions after commit.
                content = ContentFile(demo_jpeg(number, data["colors"]), name=f"demo-{number:02d}-{key}.jpg")
                photo = create_photo(file=content, uploaded_by=self.user, **fields)
                self.stored_files.append(photo.image.name)
                self.created["photos"] += 1
            self.photo_by_key[key] = photo

    # -- stories -------------------------------------------------------------------------------
    def articles(self):
        now = timezone.now()
        new_by_key, self.article_by_key = {}, {}
        for data in ARTICLES:
            article = Article.objects.filter(headline_ar=data["headline_ar"]).first()
            if article is None:
                article = self.create_article(data, now)
                new_by_key[data["key"]] = article
                self.created["articles"] += 1
            self.article_by_key[data["key"]] = article
        for data in ARTICLES:
            if data["key"] in new_by_key and data.get("related"):
                new_by_key[data["key"]].related_articles.add(
                    *(self.article_by_key[key] for key in data["related"])
                )

    def create_article(self, data, now):
        fields = {
            name: data[name]
            for name in ("headline_ar", "summary_ar", "headline_en", "summary_en",
                         "lead_photo_caption_ar", "lead_photo_caption_en")
            if name in data
        }
        fields["body_ar"] = body_html(data["body_ar"])
        if "inline_photo" in data:
            # A library photo inside the story, after its first paragraph, as the editor's photo button puts it.
            first, _sep, rest = fields["body_ar"].partition("\n")
            figure = f'<figure data-photo-id="{self.photo_by_key[data["inline_photo"]].pk}"></figure>'
            fields["body_ar"] = "\n".join(part for part in (first, figure, rest) if part)
        if "body_en" in data:
            fields["body_en"] = body_html(data["body_en"])
        article = Article(
            **fields,
            section=self.section_by_key[data["section"]],
            lead_photo=self.photo_by_key[data["photo"]],
            is_top_story=data.get("top", False),
            status=Article.Status.DRAFT,
            created_by=self.user,
            updated_by=self.user,
        )
        article.save()
        for order, key in enumerate(data["authors"]):
            ArticleAuthor.objects.create(article=article, person=self.person_by_key[key], order=order)
        article.tags.add(*(self.tag_by_name[name] for name in data["tags"]))
        status = data.get("status", Article.Status.PUBLISHED)
        if status == Article.Status.PUBLISHED:
            days, hours = data["ago"]
            when = now - timezone.timedelta(days=days, hours=hours)
            article.publish(by=self.user, at=when)
            # Back-dated stories would otherwise all look "updated" today (updated_at is auto_now):
            # give them the timestamps they would have had, written past save() on purpose.
            updated = min(now, when + timezone.timedelta(hours=data.get("updated_after", 0)))
            Article.objects.filter(pk=article.pk).update(
                created_at=when - timezone.timedelta(hours=5), updated_at=updated,
                **{f"text_changed_at_{code}": updated for code in article.editions()},
            )
        elif status == Article.Status.IN_REVIEW:
            article.submit_for_review(by=self.user)
        return article

    def support_appeal(self):
        if not SupportAppeal.objects.exists():
            SupportAppeal.objects.create(**SUPPORT_APPEAL)
            self.created["support_box"] += 1

    def run(self):
        self.editor()
        self.sections()
        self.people()
        self.tags()
        self.photos()
        self.articles()
        self.support_appeal()


def load_demo_content(reset_password=False):
    """Create the demo newsroom (once) and return a summary of what was created and what exists.

    Safe to run again: existing rows are found by their natural keys and left as they are.
    The demo editor's password is set only when the account is new or ``reset_password`` is true.
    """
    loader = _Loader(reset_password=reset_password)
    try:
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            loader.run()
    except BaseException:
        # The rows are rolled back; take the picture files written in this run with them.
        for name in loader.stored_files:
            default_storage.delete(name)
        raise
    # Photos from an older run (or whose renditions failed) get theirs now; current ones are left alone.
    for photo in loader.photo_by_key.values():
        ensure_renditions(photo)
    return {
        "created": loader.created,
        "totals": {
            "sections": Section.objects.count(),
            "people": Person.objects.count(),
            "tags": Tag.objects.count(),
            "photos": Photo.objects.count(),
            "articles": Article.objects.count(),
            "published": Article.objects.filter(status=Article.Status.PUBLISHED).count(),
            "translated": Article.objects.in_edition("en").count(),
        },
        "username": loader.user.username,
        "user_created": loader.user_created,
        "password": loader.password,
    }
