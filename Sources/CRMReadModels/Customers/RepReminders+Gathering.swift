import CRMDomain

// MARK: - One customer's reminders

extension RepReminders {
    /// Adds the reminders `customer` gives on `day`, whose ISO week is `week` (see
    /// ``RemindersQueries/birthdayWeek(of:)``).
    mutating func gather(_ customer: ReminderCustomerRow, on day: BusinessDay, week: [Int: BusinessDay]) {
        let reminder = { (date: BusinessDay, reason: String) in
            Reminder(
                customerID: customer.customerID,
                customerName: customer.name,
                date: date.description,
                days: day.days(to: date),
                reason: reason
            )
        }
        plannedContact(customer, on: day, reminder)
        noOrder(customer, on: day, reminder)
        birthdays(customer, on: day, week: week, reminder)
        if let warning = customer.warning {
            let due = CustomerTime.day(warning.releaseDueAt)
            releaseWarnings.append(
                reminder(
                    due,
                    "the pool sweep releases it on \(due) after \(warning.idleDays) idle days unless followed up"
                )
            )
        }
        instalments(customer, on: day, reminder)
    }

    private mutating func plannedContact(
        _ customer: ReminderCustomerRow,
        on day: BusinessDay,
        _ reminder: (BusinessDay, String) -> Reminder
    ) {
        guard let next = customer.plan.nextContactAt.map(CustomerTime.day) else { return }
        switch day.days(to: next) {
        case 0: contactToday.append(reminder(next, "next contact planned for today"))
        case 1: contactTomorrow.append(reminder(next, "next contact planned for tomorrow"))
        case ..<0: overdueFollowUps.append(reminder(next, "next contact was due \(next) with no follow-up since"))
        default: break
        }
    }

    private mutating func noOrder(
        _ customer: ReminderCustomerRow,
        on day: BusinessDay,
        _ reminder: (BusinessDay, String) -> Reminder
    ) {
        let ordered = customer.lastOrderAt.map(CustomerTime.day)
        let since = ordered ?? CustomerTime.day(customer.createdAt)
        let idle = since.days(to: day)
        guard idle >= noOrderDays else { return }
        noOrder.append(
            reminder(
                since,
                ordered == nil ? "no order since it was created \(idle) days ago" : "no order for \(idle) days"
            )
        )
    }

    private mutating func birthdays(
        _ customer: ReminderCustomerRow,
        on day: BusinessDay,
        week: [Int: BusinessDay],
        _ reminder: (BusinessDay, String) -> Reminder
    ) {
        for contact in customer.contacts where contact.month != 0 {
            guard let date = week[contact.month * 100 + contact.day] else { continue }
            var birthday = reminder(date, "\(contact.name)'s birthday")
            (birthday.contactID, birthday.contactName) = (contact.contactID, contact.name)
            if date == day { birthdaysToday.append(birthday) }
            birthdaysThisWeek.append(birthday)
        }
    }

    private mutating func instalments(
        _ customer: ReminderCustomerRow,
        on day: BusinessDay,
        _ reminder: (BusinessDay, String) -> Reminder
    ) {
        for instalment in customer.instalments where instalment.collected < instalment.amount {
            let due = CustomerTime.day(instalment.dueAt)
            let offset = day.days(to: due)
            guard offset <= dueWithinDays else { continue }
            let outstanding = CustomerMoney(
                minorUnits: instalment.amount.saturatingSubtract(instalment.collected),
                currency: instalment.currency
            )
            var entry = reminder(
                due,
                "instalment \(instalment.number) of contract \(instalment.contractID): \(outstanding.minorUnits) "
                    + "\(outstanding.currency) minor units \(offset < 0 ? "overdue since" : "due") \(due)"
            )
            (entry.contractID, entry.instalment, entry.amount) = (instalment.contractID, instalment.number, outstanding)
            if offset < 0 { instalmentsOverdue.append(entry) } else { instalmentsDue.append(entry) }
        }
    }
}
