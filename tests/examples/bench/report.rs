//! Figures and the Markdown table they are reported in: each figure is the median of its
//! runs, shown with its spread, and where it has a bound, as a ratio to it.

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// Reported for what it tells, with no goal of its own.
    None,
    /// The median divided by the bound must reach this.
    AtLeastRatio(f64),
    /// The median divided by the bound must not pass this.
    AtMostRatio(f64),
    /// The median must not pass this (in the figure's unit).
    AtMost(f64),
}

#[derive(Debug, Clone)]
pub struct Bound {
    pub name: String,
    pub value: f64,
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub name: String,
    pub unit: &'static str,
    pub samples: Vec<f64>,
    pub bound: Option<Bound>,
    pub goal: Goal,
}

impl Figure {
    pub fn new(name: impl Into<String>, unit: &'static str, samples: Vec<f64>) -> Figure {
        Figure { name: name.into(), unit, samples, bound: None, goal: Goal::None }
    }

    pub fn against(mut self, name: impl Into<String>, value: f64) -> Figure {
        self.bound = Some(Bound { name: name.into(), value });
        self
    }

    pub fn goal(mut self, goal: Goal) -> Figure {
        self.goal = goal;
        self
    }

    pub fn median(&self) -> f64 {
        median(&self.samples)
    }

    pub fn ratio(&self) -> Option<f64> {
        self.bound.as_ref().filter(|b| b.value > 0.0).map(|b| self.median() / b.value)
    }

    pub fn met(&self) -> bool {
        match self.goal {
            Goal::None => true,
            Goal::AtLeastRatio(at_least) => self.ratio().is_some_and(|r| r >= at_least),
            Goal::AtMostRatio(at_most) => self.ratio().is_some_and(|r| r <= at_most),
            Goal::AtMost(at_most) => self.median() <= at_most,
        }
    }
}

pub fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn number(value: f64) -> String {
    if value.abs() >= 100.0 { format!("{value:.0}") } else { format!("{value:.1}") }
}

pub fn table(figures: &[Figure]) -> String {
    let mut out = String::from("| figure | median | spread | runs | bound | ratio | goal | met |\n|---|---|---|---|---|---|---|---|\n");
    for figure in figures {
        let (low, high) = figure.samples.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &s| (l.min(s), h.max(s)));
        let bound = figure.bound.as_ref().map(|b| format!("{} {}", number(b.value), b.name)).unwrap_or_default();
        let ratio = figure.ratio().map(|r| format!("{r:.2}")).unwrap_or_default();
        let goal = match figure.goal {
            Goal::None => String::new(),
            Goal::AtLeastRatio(r) => format!("ratio ≥ {r}"),
            Goal::AtMostRatio(r) => format!("ratio ≤ {r}"),
            Goal::AtMost(v) => format!("≤ {} {}", number(v), figure.unit),
        };
        let met = match figure.goal {
            Goal::None => "",
            _ if figure.met() => "yes",
            _ => "**no**",
        };
        out.push_str(&format!(
            "| {} | {} {} | {}–{} | {} | {bound} | {ratio} | {goal} | {met} |\n",
            figure.name,
            number(figure.median()),
            figure.unit,
            number(low),
            number(high),
            figure.samples.len()
        ));
    }
    out
}
