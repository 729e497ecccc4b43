"""Synthetic Vietnamese news text with the word statistics of real news, for the benchmark corpus.

What matters to a build and, above all, to a search index is how often each
word occurs, not what the words mean. Real news text is Zipfian: a few hundred
syllables ("của", "và", "tỉnh") are in almost every article, most syllables
are in a few, and an article repeats its own rare words (names, places). A
corpus drawn evenly from a short word list puts every word in every article,
which makes every query as slow as the commonest one.

So each article is drawn from a Zipf-Mandelbrot distribution over about
10,000 syllables and compounds (the common words of provincial news first,
then generated syllables), plus a dozen keywords and a name or place of its
own, each repeated a few times. One real 5.3 KB provincial article has 847
words, 300 of them distinct; these have about 860 and 385 (``scripts/bench`` reports them).
"""

from __future__ import annotations

import itertools
import random
import unicodedata

from .text import fold_word

# Provincial news' common words, most frequent first; compounds stay together (adjacent syllables).
COMMON = (
    "của và các có được trong là cho người những với không một này đã năm tỉnh ngày đến theo để tại về "
    "từ khi nhiều cũng đó cùng như sẽ đang trên ra đơn_vị công_tác hội_nghị triển_khai kế_hoạch "
    "phát_triển kinh_tế xã_hội nhân_dân cán_bộ đảng_viên chương_trình phối_hợp tuyên_truyền pháp_luật "
    "giáo_dục y_tế văn_hóa quốc_phòng an_ninh nông_nghiệp môi_trường đầu_tư xây_dựng nông_thôn mới "
    "chuyển_đổi_số cải_cách hành_chính thực_hiện nhiệm_vụ giải_pháp kết_quả đánh_giá quý tháng đồng_chí "
    "chủ_tịch phó bí_thư thường_trực ủy_ban tỉnh_ủy huyện xã thành_phố sở ban ngành cơ_quan tổ_chức "
    "quyết_định chỉ_đạo lãnh_đạo doanh_nghiệp dự_án địa_phương trung_ương chính_quyền hoạt_động tiếp_tục "
    "nâng_cao tăng_cường đảm_bảo quản_lý hiệu_quả yêu_cầu nội_dung vấn_đề tình_hình ý_kiến phát_biểu "
    "đại_biểu tham_dự thông_tin báo_cáo kiểm_tra hướng_dẫn hỗ_trợ chính_sách tài_chính ngân_sách "
    "Ban_Tuyên_giáo HĐND UBND Mặt_trận Tổ_quốc thanh_niên phụ_nữ nông_dân cựu_chiến_binh học_sinh "
    "giáo_viên trường bệnh_viện sức_khỏe du_lịch giao_thông công_trình đất_đai tài_nguyên khoa_học "
    "công_nghệ thương_mại sản_xuất lao_động việc_làm gia_đình cộng_đồng an_toàn phòng_chống thiên_tai "
    "sáng chiều tuần tới trước sau đây ngoài bên vừa qua còn rất cần phải "
    "nhằm góp_phần toàn trong_đó đặc_biệt tích_cực chủ_động kịp_thời"
)
PLACES = ("Đà Nẵng", "Hà Nội", "Huế", "Quảng Nam", "Quảng Ngãi", "Cần Thơ", "Hải Phòng", "Nghệ An", "Đắk Lắk", "Lào Cai")
COMMON_WORDS = [word.replace("_", " ") for word in COMMON.split()]  # "_" joins a compound's syllables
ONSETS = ("", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x")
RHYMES = (
    "a", "ai", "am", "an", "ang", "anh", "ao", "au", "ay", "ăm", "ăn", "ăng", "ăt", "âm", "ân", "âng", "âu", "ây", "e", "em", "en",
    "eo", "ê", "êm", "ên", "ênh", "êu", "i", "im", "in", "inh", "iu", "o", "oa", "oai", "oan", "oanh", "oi", "om", "on", "ong",
    "ô", "ôi", "ôm", "ôn", "ông", "ơ", "ơi", "ơm", "ơn", "u", "ui", "um", "un", "ung", "uy", "ư", "ưa", "ưng", "ươi", "ương",
    "iên", "iêu", "ôt", "ât", "uc", "ac", "ich",
)
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
VOWELS = "aăâeêioôơuưy"


def _syllable(onset: str, rhyme: str, tone: str) -> str:
    """A syllable with its tone mark on the rhyme's first vowel (close enough for statistics)."""
    at = next(i for i, ch in enumerate(rhyme) if ch in VOWELS) + 1
    return unicodedata.normalize("NFC", onset + rhyme[:at] + tone + rhyme[at:])


class Vocabulary:
    """Words ranked by frequency, and the draw that makes their counts Zipfian."""

    def __init__(self, size: int = 10_000, seed: int = 7, known: tuple[str, ...] = ()):
        """``known``: other text of the articles (agency names...) whose spellings the generated words must not rival."""
        rng = random.Random(seed)
        common = COMMON_WORDS
        generated = [_syllable(*parts) for parts in itertools.product(ONSETS, RHYMES, TONES)]
        rng.shuffle(generated)
        # One spelling per word: two tone placements of one syllable would be flagged by `newsroom check`.
        seen = {fold_word(word) for text in (*common, *known) for word in text.lower().split()}
        unique = []
        for word in generated:
            if fold_word(word) not in seen:
                seen.add(fold_word(word))
                unique.append(word)
        self.words = common + unique[: size - len(common)]
        # Zipf-Mandelbrot, 1 / (rank + 5) ** 1.25: the commonest word is about 4 % of the text.
        self.cumulative = list(itertools.accumulate(1 / (rank + 5) ** 1.25 for rank in range(1, len(self.words) + 1)))

    def draw(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)


def article(rng: random.Random, vocabulary: Vocabulary, words: int = 720) -> tuple[str, str]:
    """A title and a body of about 5 KB (``words`` draws, compounds count once), its own keywords repeated."""
    name = " ".join(w.capitalize() for w in rng.sample(vocabulary.words[500:], 3))
    own = rng.sample(vocabulary.words[300:], 12) + ([rng.choice(PLACES)] if rng.random() < 0.3 else []) + [name]
    tokens = vocabulary.draw(rng, words)
    for keyword in own:
        for _ in range(rng.randint(2, 5)):
            tokens[rng.randrange(len(tokens))] = keyword
    paragraphs, start = [], 0
    while start < len(tokens):
        length = rng.randint(60, 140)
        paragraphs.append(_sentences(rng, tokens[start : start + length]))
        start += length
    title = " ".join([own[-1]] + vocabulary.draw(rng, rng.randint(6, 12)) + rng.sample(own[:-1], 2))
    return title[0].upper() + title[1:], "\n\n".join(paragraphs)


def _sentences(rng: random.Random, tokens: list[str]) -> str:
    out, start = [], 0
    while start < len(tokens):
        length = rng.randint(12, 30)
        sentence = " ".join(tokens[start : start + length])
        out.append(sentence[0].upper() + sentence[1:] + ".")
        start += length
    return " ".join(out)
